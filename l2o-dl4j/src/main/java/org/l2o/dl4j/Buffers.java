package org.l2o.dl4j;

import java.nio.FloatBuffer;
import org.l2o.api.DenseVectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk copies between DL4J's vectors (the network's data type, single precision by default) and
 * the double arrays l2o's rules work on. DL4J hands the updater contiguous slices of its flat
 * parameter, gradient and state vectors; reading them through the buffer costs one pass, where
 * casting and copying through ND4J costs several and allocates native memory each step.
 */
final class Buffers {

    private Buffers() {
    }

    /** Copies the vector {@code a} into {@code into} (which has its length); returns {@code into}. */
    static double[] read(INDArray a, double[] into) {
        if (a.dataType() == DataType.DOUBLE) {
            return DenseVectors.read(a, into);
        }
        if (a.length() != into.length) {
            throw new IllegalArgumentException("vector has " + a.length() + " values, the array " + into.length);
        }
        if (a.dataType() == DataType.FLOAT && contiguous(a)) {
            FloatBuffer b = a.data().asNioFloat();
            int offset = (int) a.offset();
            for (int i = 0; i < into.length; i++) {
                into[i] = b.get(offset + i);
            }
            return into;
        }
        return DenseVectors.read(a.castTo(DataType.DOUBLE), into);
    }

    /** Overwrites the vector {@code a} with {@code from}, rounded to {@code a}'s data type. */
    static void write(double[] from, INDArray a) {
        if (a.dataType() == DataType.DOUBLE) {
            DenseVectors.write(from, a);
            return;
        }
        if (a.length() != from.length) {
            throw new IllegalArgumentException("vector has " + a.length() + " values, the array " + from.length);
        }
        if (a.dataType() == DataType.FLOAT && contiguous(a)) {
            FloatBuffer b = a.data().asNioFloat();
            int offset = (int) a.offset();
            for (int i = 0; i < from.length; i++) {
                b.put(offset + i, (float) from[i]);
            }
            return;
        }
        a.assign(DenseVectors.of(from).castTo(a.dataType()).reshape(a.shape()));
    }

    private static boolean contiguous(INDArray a) {
        return a.length() == 0 || a.rank() == 1 && a.stride(0) == 1
                || a.isRowVector() && a.elementWiseStride() == 1;
    }
}
