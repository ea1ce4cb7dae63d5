package org.l2o.policies.classic;

import org.l2o.api.DenseVectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Conversions and small dense-vector helpers; rules compute on plain arrays they own. */
final class Vectors {

    private Vectors() {
    }

    static double[] read(INDArray a) {
        return DenseVectors.read(a);
    }

    static INDArray of(double[] v) {
        return DenseVectors.of(v);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
