package org.l2o.gps;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.l2o.api.Seeds;
import org.l2o.gps.linalg.Mat;

/** Spec section 5, check 3: the dynamics fit with and without the GMM/NIW prior. */
class DynamicsFitTest {

    static final int DX = 3;
    static final int DU = 2;
    static final int T = 4;

    final LinearGaussianDynamics truth = RandomSystems.dynamics(DX, DU, T, 5);
    final LinearGaussianController sampler = RandomSystems.controller(DX, DU, T, 6);

    /** Samples N trajectories of the true system under the random controller: {x, u}. */
    double[][][][] samples(int n, long seed) {
        RandomGenerator r = Seeds.generator(seed);
        double[][][] x = new double[n][T][];
        double[][][] u = new double[n][T][];
        double[][] l0 = Mat.cholesky(truth.initialCovariance());
        for (int s = 0; s < n; s++) {
            x[s][0] = Mat.add(truth.initialMean(), Mat.mul(l0, RandomSystems.gaussian(r, DX, 1)));
            for (int t = 0; t < T; t++) {
                u[s][t] = sampler.sample(t, x[s][t], RandomSystems.gaussian(r, DU, 1));
                if (t + 1 < T) {
                    double[] z = Mat.concat(x[s][t], u[s][t]);
                    x[s][t + 1] = Mat.add(Mat.add(Mat.mul(truth.f()[t], z), truth.offset()[t]),
                            Mat.mul(Mat.cholesky(truth.noise()[t]), RandomSystems.gaussian(r, DX, 1)));
                }
            }
        }
        return new double[][][][] {x, u};
    }

    static double maxAbsDiff(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }

    @Test
    void recoversAKnownSystemAsSamplesGrow() {
        double previous = Double.POSITIVE_INFINITY;
        for (int n : new int[] {100, 1000, 20_000}) {
            double[][][][] s = samples(n, 40 + n);
            LinearGaussianDynamics fit = DynamicsFit.fit(s[0], s[1], y -> Optional.empty(), 1e-6);
            double err = 0;
            for (int t = 0; t + 1 < T; t++) {
                err = Math.max(err, maxAbsDiff(truth.f()[t], fit.f()[t]));
                err = Math.max(err, maxAbsDiff(new double[][] {truth.offset()[t]}, new double[][] {fit.offset()[t]}));
                err = Math.max(err, maxAbsDiff(truth.noise()[t], fit.noise()[t]));
            }
            assertTrue(err < previous, "error did not shrink: " + err + " after " + previous);
            previous = err;
        }
        assertTrue(previous < 0.05, "error with 20,000 samples: " + previous);
    }

    @Test
    void priorKeepsFewSampleFitsPositiveDefinite() {
        // A GMM prior fitted on plenty of earlier trajectories; then only 2..5 fresh samples per step.
        double[][][][] old = samples(200, 7);
        double[][] pool = new double[200 * (T - 1)][];
        int i = 0;
        for (int s = 0; s < 200; s++) {
            for (int t = 0; t + 1 < T; t++) {
                pool[i++] = Mat.concat(Mat.concat(old[0][s][t], old[1][s][t]), old[0][s][t + 1]);
            }
        }
        GaussianMixture gmm = GaussianMixture.fit(pool, 4, Seeds.generator(1));
        LinearGaussianController reference = RandomSystems.controller(DX, DU, T, 8);
        QuadraticCost cost = RandomSystems.cost(DX + DU, T, 9);
        for (int n = 2; n <= 5; n++) {
            double[][][][] s = samples(n, 100 + n);
            LinearGaussianDynamics fit = DynamicsFit.fit(s[0], s[1], y -> Optional.of(gmm.prior(y, 1.0)), 1e-6);
            for (int t = 0; t + 1 < T; t++) {
                Mat.cholesky(fit.noise()[t]); // throws if not positive definite
            }
            // and the LQR backward pass on these dynamics succeeds
            var r = new KlConstrainedLqr().solve(fit, cost, reference, 1.0, 0.2 * T);
            assertTrue(Double.isFinite(r.kl()));
        }
    }

    @Test
    void withoutPriorTwoSamplesAreDegenerate() {
        // The reason the prior exists: the empirical joint covariance of 2 points is rank one.
        double[][][][] s = samples(2, 3);
        double[][] y = new double[2][];
        for (int k = 0; k < 2; k++) {
            y[k] = Mat.concat(Mat.concat(s[0][k][0], s[1][k][0]), s[0][k][1]);
        }
        double[][] sigma = DynamicsFit.jointCovariance(y, DynamicsFit.mean(y), Optional.empty());
        boolean failed = false;
        try {
            Mat.cholesky(sigma);
        } catch (org.l2o.gps.linalg.NotPositiveDefiniteException e) {
            failed = true;
        }
        assertTrue(failed);
    }
}
