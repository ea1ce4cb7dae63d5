package org.l2o.gps;

import org.l2o.gps.linalg.Mat;

/**
 * Dynamics fit that uses what is known about the optimization MDP (an earlier GPS experiment on this problem class, "use the
 * known structure"): for the lm2016 state {@code [x; d_1..d_H; g_lag0..g_lag(H-1)]}, the next
 * iterate is exactly {@code x + u}, the value differences shift as {@code d'_k = Delta + d_(k-1)},
 * and the gradient lags shift by one. Only {@code Delta = f_(t+1) - f_t} and the new gradient are
 * unknown: they are regressed on {@code [x; u; 1]} per step by ridge least squares, and their
 * residual covariance is the process noise. History slots not yet filled at step t stay zero.
 */
final class StructuredDynamics {

    private StructuredDynamics() {
    }

    static LinearGaussianDynamics fit(SampleBatch batch, int n, int history, double ridge) {
        int horizon = batch.horizon();
        int samples = batch.samples();
        int dx = n + history + history * n;
        int dz = dx + n;
        int regressors = 2 * n + 1;
        int targets = n + 1;
        double[][][] f = new double[horizon - 1][][];
        double[][] offset = new double[horizon - 1][];
        double[][][] noise = new double[horizon - 1][][];
        int gradientBlock = n + history;
        for (int t = 0; t + 1 < horizon; t++) {
            double[][] a = new double[samples][regressors];
            double[][] y = new double[samples][targets];
            for (int s = 0; s < samples; s++) {
                double[] state = batch.states()[s][t];
                double[] next = batch.states()[s][t + 1];
                System.arraycopy(state, 0, a[s], 0, n);
                System.arraycopy(batch.actions()[s][t], 0, a[s], n, n);
                a[s][2 * n] = 1;
                y[s][0] = next[n]; // d'_1 = f_(t+1) - f_t
                System.arraycopy(next, gradientBlock, y[s], 1, n);
            }
            double[][] gram = Mat.tmul(a, a);
            for (int i = 0; i < 2 * n; i++) {
                gram[i][i] += ridge * Math.max(1, gram[i][i]);
            }
            gram[2 * n][2 * n] += 1e-12;
            double[][] coef = Mat.cholSolve(Mat.cholesky(Mat.symmetrizeInPlace(gram)), Mat.tmul(a, y)); // [reg][targets]
            double[][] residual = Mat.sub(y, Mat.mul(a, coef));
            double[][] w = Mat.scale(Mat.tmul(residual, residual), 1.0 / samples);
            Mat.addDiagonalInPlace(w, 0, targets, 1e-10);

            double[][] ft = new double[dx][dz];
            double[] ot = new double[dx];
            double[][] nt = new double[dx][dx];
            for (int i = 0; i < n; i++) {
                ft[i][i] = 1;
                ft[i][dx + i] = 1;
            }
            // Rows of the unknowns: target r (0 = Delta, 1..n = new gradient) as a function of z.
            int[] rowOfTarget = new int[targets];
            rowOfTarget[0] = n;
            for (int i = 0; i < n; i++) {
                rowOfTarget[1 + i] = gradientBlock + i;
            }
            java.util.List<int[]> noisy = new java.util.ArrayList<>(); // {row, target}
            for (int r = 0; r < targets; r++) {
                int row = rowOfTarget[r];
                fillRegression(ft, ot, row, coef, r, n, dx);
                noisy.add(new int[] {row, r});
            }
            // d'_k = Delta + d_(k-1) for k = 2..H while slot k exists after the push at t+1 (k <= t+1)
            for (int k = 2; k <= history && k <= t + 1; k++) {
                int row = n + k - 1;
                fillRegression(ft, ot, row, coef, 0, n, dx);
                ft[row][n + k - 2] += 1;
                noisy.add(new int[] {row, 0});
            }
            // gradient lag j = previous lag j-1
            for (int j = 1; j < history; j++) {
                for (int i = 0; i < n; i++) {
                    ft[gradientBlock + j * n + i][gradientBlock + (j - 1) * n + i] = 1;
                }
            }
            for (int[] p : noisy) {
                for (int[] q : noisy) {
                    nt[p[0]][q[0]] = w[p[1]][q[1]];
                }
            }
            f[t] = ft;
            offset[t] = ot;
            noise[t] = nt;
        }
        double[] mean = new double[dx];
        double[][] cov = new double[dx][dx];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < dx; i++) {
                mean[i] += batch.states()[s][0][i] / samples;
            }
        }
        for (int i = 0; i < dx; i++) {
            double v = 0;
            for (int s = 0; s < samples; s++) {
                double d = batch.states()[s][0][i] - mean[i];
                v += d * d / samples;
            }
            cov[i][i] = Math.max(v, 1e-6);
        }
        return new LinearGaussianDynamics(f, offset, noise, mean, cov);
    }

    private static void fillRegression(double[][] ft, double[] ot, int row, double[][] coef, int r, int n, int dx) {
        for (int i = 0; i < n; i++) {
            ft[row][i] = coef[i][r];
            ft[row][dx + i] = coef[n + i][r];
        }
        ot[row] = coef[2 * n][r];
    }
}
