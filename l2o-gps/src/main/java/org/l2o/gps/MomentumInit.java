package org.l2o.gps;

import java.util.List;
import org.l2o.api.objective.Objective;
import org.l2o.gps.linalg.Mat;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The initial local controllers of Li and Malik 2016 (Li & Malik 2016, the GPS settings): gradient descent with momentum,
 * {@code u_t = -lr sum_{k<H} momentum^k g_(t-k)}, which is linear in the lm2016 state because the
 * state holds the last H gradients. The step size and momentum are chosen by grid search on the
 * training objectives with this truncated momentum, for the summed objective over the horizon —
 * once for all objectives by default (an earlier GPS experiment on this problem class: per-objective tuning gave the policy
 * conflicting targets), or per objective.
 */
final class MomentumInit {

    /** A tuned setting and its mean summed cost. */
    record Setting(double lr, double momentum, double cost) {
    }

    private MomentumInit() {
    }

    /** Summed true objective over steps 1..T of truncated momentum from the condition's start. */
    static double run(Objective f, double[] start, double lr, double momentum, int steps, int history) {
        int n = start.length;
        double[] x = start.clone();
        double[][] grads = new double[history][];
        double total = 0;
        double[] g = f.evaluate(Nd4j.createFromArray(x)).gradient().toDoubleVector();
        for (int t = 0; t < steps; t++) {
            System.arraycopy(grads, 0, grads, 1, history - 1);
            grads[0] = g;
            double[] u = new double[n];
            double w = lr;
            for (int k = 0; k < history && grads[k] != null; k++) {
                for (int i = 0; i < n; i++) {
                    u[i] -= w * grads[k][i];
                }
                w *= momentum;
            }
            x = Mat.add(x, u);
            var e = f.evaluate(Nd4j.createFromArray(x));
            if (!Double.isFinite(e.value())) {
                return Double.POSITIVE_INFINITY;
            }
            total += e.value();
            g = e.gradient().toDoubleVector();
        }
        return total;
    }

    /** The best grid point for the given conditions (mean summed cost). */
    static Setting tune(List<Condition> conditions, double[] lrs, double[] momenta, int steps, int history) {
        Setting best = null;
        for (double lr : lrs) {
            for (double m : momenta) {
                double sum = 0;
                for (Condition c : conditions) {
                    sum += run(c.objective(), c.start().toDoubleVector(), lr, m, steps, history);
                }
                double cost = sum / conditions.size();
                if (best == null || cost < best.cost()) {
                    best = new Setting(lr, m, cost);
                }
            }
        }
        return best;
    }

    /** The controller whose mean action is truncated momentum, with covariance {@code variance * I}. */
    static LinearGaussianController controller(Setting s, int n, int history, int steps, double variance) {
        int dx = n + history + history * n;
        double[][] gain = new double[n][dx];
        double w = s.lr();
        for (int k = 0; k < history; k++) {
            for (int i = 0; i < n; i++) {
                gain[i][n + history + k * n + i] = -w;
            }
            w *= s.momentum();
        }
        return LinearGaussianController.stationary(steps, gain, new double[n], variance);
    }
}
