package org.l2o.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fast transfers between ND4J vectors and Java arrays, and the few reductions the run loop needs.
 * Elementwise work on vectors is done in Java loops: on this project's machines ND4J's generic
 * CPU binary spends 100-500 microseconds on an elementwise op over 10^5 doubles (allocation, page
 * faults, scalar loops) where a vectorised Java loop over a heap array takes about 50. A
 * contiguous double vector is copied with one bulk transfer from its native buffer; anything else
 * goes through ND4J's own conversion.
 */
public final class DenseVectors {

    private DenseVectors() {
    }

    /**
     * Whether the values of {@code a}, in ND4J's linear (row-major) order, lie contiguously in its
     * double buffer: vectors with unit stride and row-major arrays.
     */
    private static boolean contiguous(INDArray a) {
        return a.dataType() == DataType.DOUBLE && !a.isEmpty() && a.length() <= Integer.MAX_VALUE
                && (a.length() == 1 || a.elementWiseStride() == 1 && (a.isVector() || a.ordering() == 'c'));
    }

    private static DoubleBuffer buffer(INDArray a) {
        return a.data().asNioDouble();
    }

    /**
     * Copies the values of {@code a} (in its linear order) into {@code into}, which must have
     * exactly {@code a.length()} entries; returns {@code into}.
     */
    public static double[] read(INDArray a, double[] into) {
        if (a.length() != into.length) {
            throw new IllegalArgumentException("vector has " + a.length() + " values, the array " + into.length);
        }
        if (contiguous(a)) {
            buffer(a).get((int) a.offset(), into, 0, into.length);
        } else if (into.length > 0) {
            System.arraycopy(Nd4j.toFlattened('c', a).castTo(DataType.DOUBLE).toDoubleVector(), 0, into, 0, into.length);
        }
        return into;
    }

    /** The values of {@code a} as a new array. */
    public static double[] read(INDArray a) {
        return read(a, new double[(int) a.length()]);
    }

    /**
     * A new double vector holding {@code values}, filled with one bulk copy ({@code
     * Nd4j.createFromArray} copies element by element and zeroes the buffer first).
     */
    public static INDArray of(double[] values) {
        if (values.length == 0) {
            return Nd4j.empty(DataType.DOUBLE);
        }
        INDArray a = Nd4j.createUninitialized(DataType.DOUBLE, values.length);
        buffer(a).put(0, values, 0, values.length);
        return a;
    }

    /** {@code x + dx} as a new double vector, added in Java (the same IEEE sums ND4J's add gives). */
    public static INDArray sum(INDArray x, INDArray dx) {
        return sum(x, read(dx, new double[(int) x.length()]));
    }

    /** {@code x + dx} as a new double vector, for a step already read into a Java array. */
    public static INDArray sum(INDArray x, double[] dx) {
        double[] next = read(x);
        if (dx.length != next.length) {
            throw new IllegalArgumentException("step of " + dx.length + " coordinates for a point of " + next.length);
        }
        for (int i = 0; i < next.length; i++) {
            next[i] += dx[i];
        }
        return of(next);
    }

    /** Overwrites the values of {@code a} (in its linear order) with {@code from}. */
    public static void write(double[] from, INDArray a) {
        if (a.length() != from.length) {
            throw new IllegalArgumentException("vector has " + a.length() + " values, the array " + from.length);
        }
        if (contiguous(a)) {
            buffer(a).put((int) a.offset(), from, 0, from.length);
        } else if (from.length > 0) {
            a.assign(Nd4j.createFromArray(from).reshape('c', a.shape()));
        }
    }

    /**
     * Copies {@code from} into the start of {@code to}'s double buffer, in buffer order (for a
     * column-major matrix: column after column), whatever {@code to}'s shape.
     */
    public static void toBuffer(double[] from, INDArray to) {
        to.data().asNioDouble().put((int) to.offset(), from, 0, from.length);
    }

    /** Fills {@code into} from the start of {@code from}'s double buffer, in buffer order; returns {@code into}. */
    public static double[] fromBuffer(INDArray from, double[] into) {
        from.data().asNioDouble().get((int) from.offset(), into, 0, into.length);
        return into;
    }

    /**
     * The native memory of a contiguous double vector as bytes in the platform's order, starting
     * at its first value, for loops that update the vector in place without copying it to the
     * heap (writes go to {@code a}); {@code null} when {@code a} is not contiguous or not double.
     */
    public static ByteBuffer nativeBytes(INDArray a) {
        if (!contiguous(a) || !a.isVector() && a.length() != 1) {
            return null;
        }
        long first = a.offset() * Double.BYTES;
        long last = first + a.length() * Double.BYTES;
        ByteBuffer all = a.data().asNio();
        if (all == null || !all.isDirect() || last > all.capacity()) {
            return null;
        }
        return all.duplicate().position((int) first).limit((int) last).slice().order(ByteOrder.nativeOrder());
    }

    /**
     * {@link #nativeBytes} of the vector a caller is handed at every step (a run's iterate, its
     * gradient buffer), made again only when another vector comes: a view costs a JNI call and a
     * few objects, and hot loops ask for one per step. Not thread-safe; one per run.
     */
    public static final class NativeView {
        private org.nd4j.linalg.api.buffer.DataBuffer data;
        private long offset = -1;
        private long length = -1;
        private ByteBuffer bytes;

        /** The native bytes of {@code a}, or {@code null} when it has none (see {@link #nativeBytes}). */
        public ByteBuffer of(INDArray a) {
            if (a.data() != data || a.offset() != offset || a.length() != length || bytes == null) {
                bytes = nativeBytes(a);
                data = a.data();
                offset = a.offset();
                length = a.length();
            }
            return bytes;
        }
    }

    /** Euclidean norm of a Java array, with four partial sums so the additions pipeline. */
    public static double norm2(double[] v) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < v.length; i += 4) {
            s0 += v[i] * v[i];
            s1 += v[i + 1] * v[i + 1];
            s2 += v[i + 2] * v[i + 2];
            s3 += v[i + 3] * v[i + 3];
        }
        for (; i < v.length; i++) {
            s0 += v[i] * v[i];
        }
        return Math.sqrt((s0 + s1) + (s2 + s3));
    }

    /** Euclidean norm of an ND4J vector, read directly from its buffer where it is contiguous. */
    public static double norm2(INDArray a) {
        if (!contiguous(a)) {
            return a.isEmpty() ? 0 : a.norm2Number().doubleValue();
        }
        DoubleBuffer b = buffer(a);
        int off = (int) a.offset();
        int n = (int) a.length();
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            double a0 = b.get(off + i);
            double a1 = b.get(off + i + 1);
            double a2 = b.get(off + i + 2);
            double a3 = b.get(off + i + 3);
            s0 += a0 * a0;
            s1 += a1 * a1;
            s2 += a2 * a2;
            s3 += a3 * a3;
        }
        for (; i < n; i++) {
            double a0 = b.get(off + i);
            s0 += a0 * a0;
        }
        return Math.sqrt((s0 + s1) + (s2 + s3));
    }
}
