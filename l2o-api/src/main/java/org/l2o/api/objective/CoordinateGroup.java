package org.l2o.api.objective;

import java.util.List;
import java.util.Objects;

/**
 * A block of coordinates that play the same role, such as one weight matrix or one bias vector
 * (Li & Malik 2017, coordinate groups): a learned optimizer may tie its parameters within a group.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 *
 * @param name   e.g. {@code W1}, {@code b1}
 * @param offset index of the group's first coordinate in the flat parameter vector
 * @param shape  shape of the block (its coordinates are stored column-major, 'f' order)
 */
public record CoordinateGroup(String name, int offset, List<Integer> shape) {

    public CoordinateGroup {
        Objects.requireNonNull(name, "name");
        shape = List.copyOf(shape);
        if (offset < 0) {
            throw new IllegalArgumentException("group " + name + ": negative offset " + offset);
        }
        for (int s : shape) {
            if (s <= 0) {
                throw new IllegalArgumentException("group " + name + ": non-positive extent in shape " + shape);
            }
        }
    }

    /** Number of coordinates in the group. */
    public int size() {
        int n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** One past the group's last coordinate. */
    public int end() {
        return offset + size();
    }
}
