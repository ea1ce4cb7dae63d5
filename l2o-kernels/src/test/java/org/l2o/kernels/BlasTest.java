package org.l2o.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BlasTest {

    private static INDArray matrix(DataType type, char order, int rows, int cols, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, rows, cols).subi(0.5).castTo(type).dup(order);
    }

    @Test
    void takesTheDirectPathOnTheCpuBackend() {
        assertTrue(Blas.isDirect(), "ND4J CPU backend with OpenBLAS expected in the tests");
    }

    /** Every transpose combination, both precisions, alpha and beta, against plain matrix products. */
    @Test
    void agreesWithMatrixProducts() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double tol = type == DataType.FLOAT ? 1e-5 : 1e-12;
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    INDArray a = matrix(type, 'f', ta ? 7 : 5, ta ? 5 : 7, 1);
                    INDArray b = matrix(type, 'f', tb ? 3 : 7, tb ? 7 : 3, 2);
                    INDArray c = matrix(type, 'f', 5, 3, 3);
                    INDArray expected = (ta ? a.transpose() : a).mmul(tb ? b.transpose() : b).muli(0.5)
                            .addi(c.mul(2.0));
                    Blas.gemm(a, b, c, ta, tb, 0.5, 2.0);
                    assertEquals(0.0, expected.sub(c).castTo(DataType.DOUBLE).amaxNumber().doubleValue(), tol,
                            type + " transposeA=" + ta + " transposeB=" + tb);
                }
            }
        }
    }

    @Test
    void handlesColumnViewsAndFallsBackForOtherLayouts() {
        INDArray a = matrix(DataType.DOUBLE, 'f', 4, 6, 4);
        INDArray b = matrix(DataType.DOUBLE, 'f', 6, 10, 5);
        INDArray cFull = Nd4j.create(DataType.DOUBLE, new long[] {4, 10}, 'f');
        INDArray bView = b.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        INDArray cView = cFull.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        Blas.gemm(a, bView, cView, false, false, 1.0, 0.0);
        assertEquals(0.0, a.mmul(bView).sub(cView).amaxNumber().doubleValue(), 1e-12);
        assertEquals(0.0, cFull.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 10)).amaxNumber().doubleValue(), 0.0,
                "wrote outside the view");
        INDArray rowMajor = a.dup('c');
        INDArray out = Nd4j.create(DataType.DOUBLE, new long[] {4, 10}, 'f');
        Blas.gemm(rowMajor, b, out, false, false, 1.0, 0.0);
        assertEquals(0.0, a.mmul(b).sub(out).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void rejectsShapesThatDoNotAgree() {
        INDArray a = matrix(DataType.DOUBLE, 'f', 4, 6, 6);
        INDArray c = Nd4j.create(DataType.DOUBLE, new long[] {4, 2}, 'f');
        assertThrows(IllegalArgumentException.class, () -> Blas.gemm(a, matrix(DataType.DOUBLE, 'f', 5, 2, 7), c,
                false, false, 1.0, 0.0));
    }
}
