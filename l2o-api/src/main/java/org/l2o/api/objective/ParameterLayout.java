package org.l2o.api.objective;

import java.util.List;

/**
 * How a flat parameter vector splits into coordinate groups. The groups are contiguous, in order,
 * and cover the vector exactly.
 *
 * <p>An immutable value: safe to share between threads, provided nobody modifies the arrays it
 * refers to.
 */
public record ParameterLayout(List<CoordinateGroup> groups) {

    public ParameterLayout {
        groups = List.copyOf(groups);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a layout needs at least one coordinate group");
        }
        int next = 0;
        for (CoordinateGroup g : groups) {
            if (g.offset() != next) {
                throw new IllegalArgumentException("group " + g.name() + " starts at " + g.offset()
                        + " but the previous group ends at " + next);
            }
            next = g.end();
        }
    }

    /** A layout with one group of {@code dimension} coordinates called {@code x}. */
    public static ParameterLayout single(int dimension) {
        return new ParameterLayout(List.of(new CoordinateGroup("x", 0, List.of(dimension))));
    }

    /** Builds a layout from consecutive named shapes. */
    public static ParameterLayout of(Object... nameAndShape) {
        if (nameAndShape.length % 2 != 0) {
            throw new IllegalArgumentException("expected name, shape pairs");
        }
        java.util.ArrayList<CoordinateGroup> out = new java.util.ArrayList<>();
        int offset = 0;
        for (int i = 0; i < nameAndShape.length; i += 2) {
            int[] shape = (int[]) nameAndShape[i + 1];
            List<Integer> s = java.util.Arrays.stream(shape).boxed().toList();
            CoordinateGroup g = new CoordinateGroup((String) nameAndShape[i], offset, s);
            out.add(g);
            offset = g.end();
        }
        return new ParameterLayout(out);
    }

    /** Total number of coordinates. */
    public int dimension() {
        return groups.get(groups.size() - 1).end();
    }
}
