package org.l2o.gps;

import org.l2o.gps.linalg.Mat;

/**
 * A time-varying linear-Gaussian controller {@code p(u_t | x_t) = N(K_t x_t + k_t, Sigma_t)},
 * t = 0..T-1 (Levine & Abbeel 2014, local controllers). Immutable; the Cholesky factors, precisions and log-determinants
 * of the covariances are computed once at construction.
 */
public final class LinearGaussianController {

    private final double[][][] gains;
    private final double[][] offsets;
    private final double[][][] covariances;
    private final double[][][] choleskys;
    private final double[][][] precisions;
    private final double[] logDets;

    /**
     * @param gains       K, {@code [T][dU][dX]}
     * @param offsets     k, {@code [T][dU]}
     * @param covariances Sigma, {@code [T][dU][dU]}, symmetric positive definite
     */
    public LinearGaussianController(double[][][] gains, double[][] offsets, double[][][] covariances) {
        int t = gains.length;
        if (offsets.length != t || covariances.length != t) {
            throw new IllegalArgumentException("gains, offsets and covariances cover different horizons");
        }
        this.gains = gains;
        this.offsets = offsets;
        this.covariances = covariances;
        this.choleskys = new double[t][][];
        this.precisions = new double[t][][];
        this.logDets = new double[t];
        for (int s = 0; s < t; s++) {
            choleskys[s] = Mat.cholesky(covariances[s]);
            precisions[s] = Mat.symmetrizeInPlace(Mat.cholSolve(choleskys[s], Mat.identity(covariances[s].length)));
            logDets[s] = Mat.logDetFromCholesky(choleskys[s]);
        }
    }

    /** A controller with the same gains at every step and covariance {@code variance * I}. */
    public static LinearGaussianController stationary(int horizon, double[][] gain, double[] offset, double variance) {
        double[][][] k = new double[horizon][][];
        double[][] o = new double[horizon][];
        double[][][] c = new double[horizon][][];
        for (int t = 0; t < horizon; t++) {
            k[t] = Mat.copy(gain);
            o[t] = offset.clone();
            c[t] = Mat.scale(Mat.identity(offset.length), variance);
        }
        return new LinearGaussianController(k, o, c);
    }

    public int horizon() {
        return gains.length;
    }

    public int actionDimension() {
        return offsets[0].length;
    }

    public int stateDimension() {
        return gains[0][0].length;
    }

    public double[][] gain(int t) {
        return gains[t];
    }

    public double[] offset(int t) {
        return offsets[t];
    }

    public double[][] covariance(int t) {
        return covariances[t];
    }

    /** Lower Cholesky factor of {@code Sigma_t}. */
    public double[][] cholesky(int t) {
        return choleskys[t];
    }

    public double[][] precision(int t) {
        return precisions[t];
    }

    public double logDetCovariance(int t) {
        return logDets[t];
    }

    /** Mean action at state {@code x}. */
    public double[] mean(int t, double[] x) {
        return Mat.add(Mat.mul(gains[t], x), offsets[t]);
    }

    /** A sample {@code K x + k + L eps} with {@code eps ~ N(0, I)} given. */
    public double[] sample(int t, double[] x, double[] eps) {
        return Mat.add(mean(t, x), Mat.mul(choleskys[t], eps));
    }

    /**
     * The quadratic form of {@code -log p(u | x)} up to constants: {@code 1/2 z^T M z + z^T v + c} with
     * {@code z = [x; u]}, {@code M = [[K^T P K, -K^T P], [-P K, P]]}, {@code v = [K^T P k; -P k]},
     * {@code c = 1/2 k^T P k} (Levine & Abbeel 2014, KL-constrained LQR).
     */
    public Quadratic logQuadratic(int t) {
        double[][] p = precisions[t];
        double[][] k = gains[t];
        double[] o = offsets[t];
        int dx = stateDimension();
        int du = actionDimension();
        double[][] pk = Mat.mul(p, k);
        double[][] m = new double[dx + du][dx + du];
        Mat.setBlock(m, 0, 0, Mat.tmul(k, pk));
        Mat.setBlock(m, 0, dx, Mat.scale(Mat.transpose(pk), -1));
        Mat.setBlock(m, dx, 0, Mat.scale(pk, -1));
        Mat.setBlock(m, dx, dx, p);
        double[] po = Mat.mul(p, o);
        double[] v = Mat.concat(Mat.tmul(k, po), Mat.scale(po, -1));
        return new Quadratic(m, v, 0.5 * Mat.dot(o, po));
    }

    /** {@code 1/2 z^T M z + z^T v + c}. */
    public record Quadratic(double[][] m, double[] v, double c) {
    }
}
