package org.l2o.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DenseVectorsTest {

    private static double[] ramp(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5 * i - 3;
        }
        return v;
    }

    @Test
    void readsAndWritesContiguousVectors() {
        INDArray a = Nd4j.createFromArray(ramp(11));
        assertArrayEquals(ramp(11), DenseVectors.read(a), 0.0);
        double[] other = ramp(11);
        other[4] = 42;
        DenseVectors.write(other, a);
        assertArrayEquals(other, a.toDoubleVector(), 0.0);
    }

    @Test
    void honoursTheOffsetOfAView() {
        INDArray parent = Nd4j.createFromArray(ramp(20));
        INDArray view = parent.get(NDArrayIndex.interval(5, 12));
        assertArrayEquals(java.util.Arrays.copyOfRange(ramp(20), 5, 12), DenseVectors.read(view), 0.0);
        DenseVectors.write(new double[] {1, 2, 3, 4, 5, 6, 7}, view);
        assertEquals(1.0, parent.getDouble(5));
        assertEquals(7.0, parent.getDouble(11));
        assertEquals(ramp(20)[12], parent.getDouble(12), "wrote past the view");
        assertEquals(ramp(20)[4], parent.getDouble(4), "wrote before the view");
    }

    @Test
    void handlesStridedAndFloatVectors() {
        INDArray m = Nd4j.createFromArray(ramp(12)).reshape('c', 4, 3);
        INDArray column = m.getColumn(1);
        assertArrayEquals(column.toDoubleVector(), DenseVectors.read(column), 0.0);
        DenseVectors.write(new double[] {9, 8, 7, 6}, column);
        assertEquals(8.0, m.getDouble(1, 1));
        INDArray f = Nd4j.createFromArray(1f, 2f, 3f);
        assertArrayEquals(new double[] {1, 2, 3}, DenseVectors.read(f), 0.0);
        assertEquals(f.norm2Number().doubleValue(), DenseVectors.norm2(f), 1e-6);
    }

    @Test
    void readsMatricesInRowMajorOrderWhateverTheirLayout() {
        INDArray c = Nd4j.createFromArray(ramp(6)).reshape('c', 2, 3);
        INDArray f = c.dup('f');
        assertArrayEquals(ramp(6), DenseVectors.read(c), 0.0);
        assertArrayEquals(ramp(6), DenseVectors.read(f), 0.0);
        DenseVectors.write(new double[] {1, 2, 3, 4, 5, 6}, f);
        assertEquals(4.0, f.getDouble(1, 0));
    }

    @Test
    void bufferTransfersFollowTheBufferOrder() {
        INDArray f = Nd4j.create(DataType.DOUBLE, new long[] {2, 3}, 'f');
        DenseVectors.toBuffer(new double[] {1, 2, 3, 4, 5, 6}, f);
        assertEquals(2.0, f.getDouble(1, 0), "column-major: the second value is row 1 of column 0");
        assertEquals(3.0, f.getDouble(0, 1));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, DenseVectors.fromBuffer(f, new double[6]), 0.0);
    }

    @Test
    void normsAgreeWithNd4j() {
        for (int n : new int[] {0, 1, 3, 4, 5, 1001}) {
            double[] v = ramp(n);
            INDArray a = n == 0 ? Nd4j.empty(DataType.DOUBLE) : Nd4j.createFromArray(v);
            double expected = n == 0 ? 0 : a.norm2Number().doubleValue();
            assertEquals(expected, DenseVectors.norm2(a), 1e-12 * (1 + expected), "n=" + n);
            assertEquals(expected, DenseVectors.norm2(v), 1e-12 * (1 + expected), "n=" + n);
        }
    }

    @Test
    void sumsLikeNd4j() {
        INDArray x = Nd4j.createFromArray(ramp(9)).muli(1.1);
        INDArray dx = Nd4j.createFromArray(ramp(9)).muli(-0.3).addi(1e-3);
        assertArrayEquals(x.add(dx).toDoubleVector(), DenseVectors.sum(x, dx).toDoubleVector(), 0.0);
        assertArrayEquals(ramp(9), DenseVectors.read(Nd4j.createFromArray(ramp(9))), 0.0);
    }

    @Test
    void rejectsALengthMismatch() {
        INDArray a = Nd4j.createFromArray(ramp(5));
        assertThrows(IllegalArgumentException.class, () -> DenseVectors.read(a, new double[4]));
        assertThrows(IllegalArgumentException.class, () -> DenseVectors.write(new double[6], a));
    }
}
