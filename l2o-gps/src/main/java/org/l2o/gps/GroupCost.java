package org.l2o.gps;

import org.l2o.gps.linalg.Mat;

/**
 * The local cost of coordinate-group GPS: the meta-loss of Li & Malik 2017 split per coordinate to
 * second order, with the coordinate's true gradient replaced by its ridge-regression prediction from
 * the observable GPS state (see {@link #cost}). Stateless.
 */
final class GroupCost {

    private GroupCost() {
    }

    /**
     * The per-coordinate quadratic cost over {@code z = [s; a]}: {@code w_t ((beta_t . [s; 1]) a +
     * 1/2 h_t a^2)} with {@code w_t = (T - t) / T}, {@code h_t >= 0} the group's curvature along the
     * sampled steps, and {@code beta_t} the least-squares prediction of the coordinate's true
     * gradient from its GPS state. The state holds only what the policy can observe (the minibatch
     * features), so the controllers cannot lean on the true gradient; since a controller's step
     * depends on the state and independent noise only, {@code E[g a] = E[E[g | s] a]} and the
     * predicted gradient gives the same expected cost as the true one (to the linear fit). {@code d}
     * is the GPS state size per coordinate.
     */
    static QuadraticCost cost(GroupSamples gs, int horizon, int d) {
        int dz = d + 1;
        double[][][] cm = new double[horizon][dz][dz];
        double[][] cv = new double[horizon][dz];
        double[] cc = new double[horizon];
        int count = gs.states.length;
        for (int t = 0; t < horizon; t++) {
            double w = (double) (horizon - t) / horizon;
            double h = gs.curvatureDen[t] > 0 ? Math.max(0, gs.curvatureNum[t] / gs.curvatureDen[t]) : 0;
            double[] y = new double[count];
            for (int k = 0; k < count; k++) {
                y[k] = gs.gradients[k][t];
            }
            double[] beta = leastSquares(gs.states, t, y);
            for (int i = 0; i < d; i++) {
                cm[t][i][d] = w * beta[i];
                cm[t][d][i] = w * beta[i];
            }
            cv[t][d] = w * beta[d];
            cm[t][d][d] = w * h;
        }
        return new QuadraticCost(cm, cv, cc);
    }

    /**
     * Ridge regression of {@code y} on {@code [states[k][t]; 1]} over the recorded trajectories k;
     * returns the coefficients, intercept last. Each coefficient's ridge is 1e-3 of its feature's
     * spread (a standardised ridge): several state features are shared by all coordinates of a
     * sample or zero early in a run, and without it the collinear fits give huge gains whose
     * cancellation in the LQR's value function destroys positive definiteness.
     */
    static double[] leastSquares(double[][][] states, int t, double[] y) {
        int d = states[0][t].length;
        double[][] xtx = new double[d + 1][d + 1];
        double[] xty = new double[d + 1];
        double[] row = new double[d + 1];
        for (int k = 0; k < y.length; k++) {
            System.arraycopy(states[k][t], 0, row, 0, d);
            row[d] = 1;
            for (int i = 0; i <= d; i++) {
                double ri = row[i];
                xty[i] += ri * y[k];
                for (int j = 0; j <= i; j++) {
                    xtx[i][j] += ri * row[j];
                }
            }
        }
        int count = y.length;
        double[] mean = new double[d];
        for (int i = 0; i < d; i++) {
            mean[i] = xtx[d][i] / count;
        }
        for (int i = 0; i <= d; i++) {
            for (int j = 0; j < i; j++) {
                xtx[j][i] = xtx[i][j];
            }
        }
        for (int i = 0; i < d; i++) {
            double spread = Math.max(0, xtx[i][i] - count * mean[i] * mean[i]);
            xtx[i][i] += 1e-3 * spread + 1e-12 * count;
        }
        xtx[d][d] += 1e-12 * count;
        return Mat.cholSolve(Mat.cholesky(xtx), xty);
    }
}
