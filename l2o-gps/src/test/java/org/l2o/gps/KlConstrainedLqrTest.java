package org.l2o.gps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.l2o.api.Seeds;
import org.l2o.gps.linalg.Mat;

/** Spec section 5, check 2: the KL-constrained LQR and its dual search. */
class KlConstrainedLqrTest {

    static final int DX = 4;
    static final int DU = 2;
    static final int T = 10;

    final LinearGaussianDynamics dyn = RandomSystems.dynamics(DX, DU, T, 1);
    final QuadraticCost cost = RandomSystems.cost(DX + DU, T, 2);
    final LinearGaussianController reference = RandomSystems.controller(DX, DU, T, 3);

    @Test
    void dualSearchHitsTheKlTargetWithinTenPercent() {
        for (double epsilon : new double[] {0.05, 0.5, 2.0}) {
            double target = epsilon * T;
            var r = new KlConstrainedLqr().solve(dyn, cost, reference, 1.0, target);
            assertTrue(r.converged(), "not converged for epsilon " + epsilon + ": KL " + r.kl());
            assertTrue(Math.abs(r.kl() - target) < 0.1 * target, "KL " + r.kl() + " vs target " + target);
            assertTrue(r.passes() <= 50);
            // the KL reported is the KL of the returned controller
            double check = KlConstrainedLqr.sum(KlConstrainedLqr.kl(KlConstrainedLqr.forward(dyn, r.controller()),
                    r.controller(), reference));
            assertEquals(r.kl(), check, 1e-9 * Math.max(1, check));
        }
    }

    @Test
    void hugeEtaLeavesTheControllerUnchanged() {
        LinearGaussianController c = KlConstrainedLqr.backward(dyn, cost, reference, 1e16);
        for (int t = 0; t < T; t++) {
            assertMatrixEquals(reference.gain(t), c.gain(t), 1e-6);
            assertArrayEquals(reference.offset(t), c.offset(t), 1e-6);
            assertMatrixEquals(reference.covariance(t), c.covariance(t), 1e-6);
        }
        double kl = KlConstrainedLqr.sum(KlConstrainedLqr.kl(KlConstrainedLqr.forward(dyn, c), c, reference));
        assertTrue(kl < 1e-8, "KL " + kl);
    }

    @Test
    void tinyEtaApproachesUnconstrainedLqr() {
        LinearGaussianController c = KlConstrainedLqr.backward(dyn, cost, reference, 1e-9);
        double[][][] k = new double[T][][];
        double[][] o = new double[T][];
        unconstrainedLqr(k, o);
        for (int t = 0; t < T; t++) {
            assertMatrixEquals(k[t], c.gain(t), 1e-5);
            assertArrayEquals(o[t], c.offset(t), 1e-5);
        }
    }

    /** Textbook finite-horizon LQR with affine dynamics, written independently of the class under test. */
    void unconstrainedLqr(double[][][] gains, double[][] offsets) {
        double[][] v = null;
        double[] vv = null;
        for (int t = T - 1; t >= 0; t--) {
            double[][] q = Mat.copy(cost.cm()[t]);
            double[] qv = cost.cv()[t].clone();
            if (v != null) {
                double[][] f = dyn.f()[t];
                q = Mat.add(q, Mat.tmul(f, Mat.mul(v, f)));
                qv = Mat.add(qv, Mat.tmul(f, Mat.add(vv, Mat.mul(v, dyn.offset()[t]))));
            }
            double[][] quuInv = Mat.spdInverse(Mat.block(q, DX, DX + DU, DX, DX + DU));
            gains[t] = Mat.scale(Mat.mul(quuInv, Mat.block(q, DX, DX + DU, 0, DX)), -1);
            offsets[t] = Mat.scale(Mat.mul(quuInv, Mat.slice(qv, DX, DX + DU)), -1);
            double[][] qxu = Mat.block(q, 0, DX, DX, DX + DU);
            v = Mat.add(Mat.block(q, 0, DX, 0, DX), Mat.mul(qxu, gains[t]));
            vv = Mat.add(Mat.slice(qv, 0, DX), Mat.mul(qxu, offsets[t]));
        }
    }

    @Test
    void laplaceEstimateMatchesMonteCarlo() {
        LinearGaussianController c = new KlConstrainedLqr().solve(dyn, cost, reference, 1.0, 0.5 * T).controller();
        double laplace = KlConstrainedLqr.expectedCost(dyn, c, cost);
        RandomGenerator r = Seeds.generator(11);
        int n = 20_000;
        double sum = 0;
        double sumSq = 0;
        double[][] l0 = Mat.cholesky(dyn.initialCovariance());
        double[][][] lw = new double[T - 1][][];
        for (int t = 0; t + 1 < T; t++) {
            lw[t] = Mat.cholesky(dyn.noise()[t]);
        }
        for (int s = 0; s < n; s++) {
            double[] x = Mat.add(dyn.initialMean(), Mat.mul(l0, RandomSystems.gaussian(r, DX, 1)));
            double total = 0;
            for (int t = 0; t < T; t++) {
                double[] u = c.sample(t, x, RandomSystems.gaussian(r, DU, 1));
                double[] z = Mat.concat(x, u);
                total += 0.5 * Mat.quad(cost.cm()[t], z) + Mat.dot(z, cost.cv()[t]) + cost.cc()[t];
                if (t + 1 < T) {
                    x = Mat.add(Mat.add(Mat.mul(dyn.f()[t], z), dyn.offset()[t]),
                            Mat.mul(lw[t], RandomSystems.gaussian(r, DX, 1)));
                }
            }
            sum += total;
            sumSq += total * total;
        }
        double mean = sum / n;
        double se = Math.sqrt((sumSq / n - mean * mean) / n);
        assertTrue(Math.abs(mean - laplace) < 4 * se, "Laplace " + laplace + " vs Monte Carlo " + mean + " +- " + se);
    }

    @Test
    void badmmTermWithZeroWeightsIsThePlainPassAndLargeWeightsFollowThePolicy() {
        var policy = RandomSystems.controller(DX, DU, T, 21);
        double[] zero = new double[T];
        double[][] noDual = new double[T][DU];
        var plain = KlConstrainedLqr.backward(dyn, cost, reference, 0.7);
        var withTerm = KlConstrainedLqr.backward(dyn, cost, reference, 0.7,
                new KlConstrainedLqr.PolicyTerm(policy, zero, noDual));
        for (int t = 0; t < T; t++) {
            assertMatrixEquals(plain.gain(t), withTerm.gain(t), 1e-12);
            assertArrayEquals(plain.offset(t), withTerm.offset(t), 1e-12);
        }
        double[] heavy = new double[T];
        java.util.Arrays.fill(heavy, 1e12);
        var pulled = KlConstrainedLqr.backward(dyn, cost, reference, 1e-3,
                new KlConstrainedLqr.PolicyTerm(policy, heavy, noDual));
        for (int t = 0; t < T; t++) {
            assertMatrixEquals(policy.gain(t), pulled.gain(t), 1e-6);
            assertArrayEquals(policy.offset(t), pulled.offset(t), 1e-6);
        }
        // a dual on the action shifts the offsets the way a linear cost on u does: towards +lambda
        double[][] dual = new double[T][DU];
        for (double[] d : dual) {
            java.util.Arrays.fill(d, 5.0);
        }
        var shifted = KlConstrainedLqr.backward(dyn, cost, reference, 1.0,
                new KlConstrainedLqr.PolicyTerm(policy, zero, dual));
        assertTrue(shifted.offset(T - 1)[0] > plain.offset(T - 1)[0]);
    }

    @Test
    void klIsZeroAgainstItselfAndPositiveOtherwise() {
        var m = KlConstrainedLqr.forward(dyn, reference);
        assertEquals(0.0, KlConstrainedLqr.sum(KlConstrainedLqr.kl(m, reference, reference)), 1e-10);
        var other = RandomSystems.controller(DX, DU, T, 9);
        assertTrue(KlConstrainedLqr.sum(KlConstrainedLqr.kl(KlConstrainedLqr.forward(dyn, other), other, reference)) > 0);
    }

    static void assertMatrixEquals(double[][] expected, double[][] actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], tol);
        }
    }

    static void assertArrayEquals(double[] expected, double[] actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "entry " + i);
        }
    }
}
