package org.l2o.gps;

import java.util.Optional;
import java.util.function.Function;
import org.l2o.gps.linalg.Mat;

/**
 * Per-step linear-Gaussian regression of {@code x_{t+1}} on {@code [x_t; u_t]} from sample
 * trajectories, with an optional normal-inverse-Wishart prior (Levine & Abbeel 2014, dynamics with a GMM prior,
 * gauss_fit_joint_prior): MAP joint covariance
 * {@code [N S + Phi + (N m / (N + m)) (ybar - mu0)(ybar - mu0)^T] / (N + n0)}, a ridge
 * {@code regularization * I} on the [x; u] block, then conditioning.
 */
public final class DynamicsFit {

    private DynamicsFit() {
    }

    /**
     * Fits dynamics to N trajectories.
     *
     * @param x              states {@code [N][T][dX]}
     * @param u              actions {@code [N][T][dU]}
     * @param prior          prior for step t given that step's points {@code [N][2 dX + dU]}; may return empty
     * @param regularization ridge added to the [x; u] block of the joint covariance
     */
    public static LinearGaussianDynamics fit(double[][][] x, double[][][] u,
                                             Function<double[][], Optional<NormalInverseWishart>> prior,
                                             double regularization) {
        int n = x.length;
        int horizon = x[0].length;
        int dx = x[0][0].length;
        int du = u[0][0].length;
        int dxu = dx + du;
        double[][][] f = new double[horizon - 1][][];
        double[][] off = new double[horizon - 1][];
        double[][][] noise = new double[horizon - 1][][];
        for (int t = 0; t + 1 < horizon; t++) {
            double[][] y = new double[n][];
            for (int s = 0; s < n; s++) {
                y[s] = Mat.concat(Mat.concat(x[s][t], u[s][t]), x[s][t + 1]);
            }
            double[] mean = mean(y);
            double[][] sigma = jointCovariance(y, mean, prior.apply(y));
            Mat.addDiagonalInPlace(sigma, 0, dxu, regularization);
            double[][] sxuxu = Mat.block(sigma, 0, dxu, 0, dxu);
            double[][] sxnxu = Mat.block(sigma, dxu, dxu + dx, 0, dxu);
            // F = S_{x',xu} S_{xu,xu}^-1, computed as (S_{xu,xu}^-1 S_{xu,x'})^T
            double[][] l = Mat.cholesky(sxuxu);
            double[][] ft = Mat.transpose(Mat.cholSolve(l, Mat.transpose(sxnxu)));
            f[t] = ft;
            off[t] = Mat.sub(Mat.slice(mean, dxu, dxu + dx), Mat.mul(ft, Mat.slice(mean, 0, dxu)));
            double[][] w = Mat.sub(Mat.block(sigma, dxu, dxu + dx, dxu, dxu + dx), Mat.mult(Mat.mul(ft, sxuxu), ft));
            noise[t] = Mat.symmetrizeInPlace(w);
        }
        double[][] x0 = new double[n][];
        for (int s = 0; s < n; s++) {
            x0[s] = x[s][0];
        }
        double[] mu0 = mean(x0);
        double[][] cov0 = new double[dx][dx];
        for (int i = 0; i < dx; i++) {
            double v = 0;
            for (double[] p : x0) {
                v += (p[i] - mu0[i]) * (p[i] - mu0[i]);
            }
            cov0[i][i] = Math.max(v / n, 1e-6);
        }
        return new LinearGaussianDynamics(f, off, noise, mu0, cov0);
    }

    /** Unweighted mean of the rows. */
    static double[] mean(double[][] y) {
        double[] m = new double[y[0].length];
        for (double[] r : y) {
            for (int i = 0; i < m.length; i++) {
                m[i] += r[i];
            }
        }
        for (int i = 0; i < m.length; i++) {
            m[i] /= y.length;
        }
        return m;
    }

    /** The MAP joint covariance, or the biased empirical one without a prior. */
    static double[][] jointCovariance(double[][] y, double[] mean, Optional<NormalInverseWishart> prior) {
        int n = y.length;
        int d = mean.length;
        double[][] scatter = new double[d][d];
        for (double[] r : y) {
            double[] c = Mat.sub(r, mean);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    scatter[i][j] += c[i] * c[j];
                }
            }
        }
        if (prior.isEmpty()) {
            return Mat.symmetrizeInPlace(Mat.scale(scatter, 1.0 / n));
        }
        NormalInverseWishart p = prior.get();
        double[] diff = Mat.sub(mean, p.mu0());
        double[][] s = Mat.add(Mat.add(scatter, p.phi()), Mat.scale(Mat.outer(diff, diff), n * p.m() / (n + p.m())));
        return Mat.symmetrizeInPlace(Mat.scale(s, 1.0 / (n + p.n0())));
    }
}
