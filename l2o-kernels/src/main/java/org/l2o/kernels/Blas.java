package org.l2o.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products on column-major ND4J arrays straight through the OpenBLAS that ND4J ships
 * (JavaCPP's {@code cblas_?gemm}). {@code Nd4j.gemm} wraps the same kernel in an op that costs
 * 25-35 microseconds per call here (shape buffers, op dispatch), as much as the product itself on
 * the layer sizes of the papers' nets. Arrays that are not plain column-major matrices starting at
 * the beginning of their buffer, and every array under another ND4J backend (or without the
 * OpenBLAS binding on the class path), go through {@code Nd4j.gemm}.
 */
public final class Blas {

    /** Whether ND4J runs on its CPU backend and JavaCPP's OpenBLAS binding is loadable. */
    private static final boolean DIRECT = detect();

    private Blas() {
    }

    /** Whether products go straight to OpenBLAS (CPU backend, binding present) rather than through ND4J's op. */
    public static boolean isDirect() {
        return DIRECT;
    }

    private static boolean detect() {
        try {
            Class.forName("org.bytedeco.openblas.global.openblas", false, Blas.class.getClassLoader());
            return Nd4j.getBackend().getClass().getName().toLowerCase(java.util.Locale.ROOT).contains("cpu");
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** {@code c = alpha op(a) op(b) + beta c}, {@code op} transposing where asked; like {@code Nd4j.gemm}. */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                            double beta) {
        DataType type = c.dataType();
        if (!DIRECT || !direct(a, type) || !direct(b, type) || !direct(c, type)) {
            Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
            return;
        }
        int m = (int) c.rows();
        int n = (int) c.columns();
        int k = (int) (transposeA ? a.rows() : a.columns());
        long ka = transposeA ? a.columns() : a.rows();
        long kb = transposeB ? b.columns() : b.rows();
        long nb = transposeB ? b.rows() : b.columns();
        if (ka != m || kb != k || nb != n) {
            throw new IllegalArgumentException("gemm shapes do not agree: op(a) " + ka + "x" + k + ", op(b) " + kb
                    + "x" + nb + ", c " + m + "x" + n);
        }
        Direct.gemm(a, b, c, transposeA, transposeB, alpha, beta, m, n, k);
    }

    /** The calls into the binding, in their own class so it is only loaded where present. */
    private static final class Direct {
        static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                         double beta, int m, int n, int k) {
            int ta = transposeA ? openblas.CblasTrans : openblas.CblasNoTrans;
            int tb = transposeB ? openblas.CblasTrans : openblas.CblasNoTrans;
            int lda = (int) Math.max(1, a.stride(1));
            int ldb = (int) Math.max(1, b.stride(1));
            int ldc = (int) Math.max(1, c.stride(1));
            if (c.dataType() == DataType.FLOAT) {
                openblas.cblas_sgemm(openblas.CblasColMajor, ta, tb, m, n, k, (float) alpha,
                        (FloatPointer) a.data().addressPointer(), lda, (FloatPointer) b.data().addressPointer(), ldb,
                        (float) beta, (FloatPointer) c.data().addressPointer(), ldc);
            } else {
                openblas.cblas_dgemm(openblas.CblasColMajor, ta, tb, m, n, k, alpha,
                        (DoublePointer) a.data().addressPointer(), lda, (DoublePointer) b.data().addressPointer(), ldb,
                        beta, (DoublePointer) c.data().addressPointer(), ldc);
            }
        }
    }

    /** A float or double matrix, column-major with unit row stride, whose first element starts its buffer. */
    private static boolean direct(INDArray x, DataType type) {
        return x.rank() == 2 && x.dataType() == type && (type == DataType.FLOAT || type == DataType.DOUBLE)
                && x.offset() == 0 && x.stride(0) == 1 && x.ordering() == 'f' && x.length() > 0;
    }
}
