package org.l2o.gps;

import org.l2o.gps.linalg.Mat;
import org.l2o.gps.linalg.NotPositiveDefiniteException;

/**
 * Trajectory optimisation of a linear-Gaussian controller under fitted dynamics and a local
 * quadratic cost, with a KL trust region around a reference controller (the previous local
 * controller, or the linearised global policy in mirror-descent GPS): Levine & Abbeel 2014, KL-constrained LQR.
 *
 * <p>The Lagrangian with dual {@code eta} is an LQR problem on the cost
 * {@code Cm / eta + M_ref} (the reference's log-density quadratic), whose solution has the
 * maximum-entropy covariance {@code Q_uu^-1}. The dual is found by bracketing in log space.
 * Stateless and thread-safe.
 */
public final class KlConstrainedLqr {

    /** Bounds and settings of the dual search (cbfinn/gps TRAJ_OPT_LQR defaults). */
    public record Settings(double minEta, double maxEta, double del0, int maxPasses, double tolerance) {
        public static Settings defaults() {
            return new Settings(1e-8, 1e16, 1e-4, 50, 0.1);
        }
    }

    /** Result of the dual search. */
    public record Result(LinearGaussianController controller, double eta, double kl, int passes, boolean converged,
                         StateActionMarginals marginals) {
    }

    private final Settings settings;

    public KlConstrainedLqr(Settings settings) {
        this.settings = settings;
    }

    public KlConstrainedLqr() {
        this(Settings.defaults());
    }

    /**
     * The LQR backward pass for dual {@code eta}: returns the new controller.
     *
     * @throws NotPositiveDefiniteException when some {@code Q_uu} is not positive definite
     */
    public static LinearGaussianController backward(LinearGaussianDynamics dyn, QuadraticCost cost,
                                                    LinearGaussianController reference, double eta) {
        return backward(dyn, cost, reference, eta, null);
    }

    /**
     * The BADMM terms of the trajectory step (Montgomery & Levine 2016; Levine et al. 2016): the linearised global policy, per-step
     * penalty weights {@code nu_t}, and the dual {@code lambda_t} subtracted from the action part of
     * the cost's linear term.
     */
    public record PolicyTerm(LinearGaussianController policy, double[] nu, double[][] lambda) {
    }

    /**
     * The backward pass on the cost {@code (Cm' + eta M_ref + nu_t M_pol) / (eta + nu_t)} (with
     * {@code Cm' = Cm} and {@code cv' = cv - [0; lambda_t]}), propagating the value from t+1 scaled by
     * {@code (eta + nu_(t+1)) / (eta + nu_t)}. Without a policy term this is the usual
     * {@code Cm / eta + M_ref}.
     *
     * @throws NotPositiveDefiniteException when some {@code Q_uu} is not positive definite
     */
    public static LinearGaussianController backward(LinearGaussianDynamics dyn, QuadraticCost cost,
                                                    LinearGaussianController reference, double eta, PolicyTerm badmm) {
        int horizon = cost.horizon();
        int dx = dyn.stateDimension();
        int du = reference.actionDimension();
        int dz = dx + du;
        double[][][] gains = new double[horizon][][];
        double[][] offsets = new double[horizon][];
        double[][][] covs = new double[horizon][][];
        double[][] vxx = null;
        double[] vx = null;
        double nextWeight = 0;
        for (int t = horizon - 1; t >= 0; t--) {
            double nu = badmm == null ? 0 : badmm.nu()[t];
            double weight = eta + nu;
            LinearGaussianController.Quadratic ref = reference.logQuadratic(t);
            double[][] q = Mat.axpy(Mat.scale(ref.m(), eta / weight), 1 / weight, cost.cm()[t]);
            double[] cv = cost.cv()[t];
            if (badmm != null) {
                cv = cv.clone();
                for (int a = 0; a < du; a++) {
                    cv[dx + a] -= badmm.lambda()[t][a];
                }
                LinearGaussianController.Quadratic pol = badmm.policy().logQuadratic(t);
                q = Mat.axpy(q, nu / weight, pol.m());
                cv = Mat.add(cv, Mat.scale(pol.v(), nu));
            }
            double[] qv = Mat.add(Mat.scale(ref.v(), eta / weight), Mat.scale(cv, 1 / weight));
            if (vxx != null) {
                double[][] f = dyn.f()[t];
                double scale = nextWeight / weight;
                q = Mat.axpy(q, scale, Mat.sandwich(f, vxx));
                qv = Mat.add(qv, Mat.scale(Mat.tmul(f, Mat.add(vx, Mat.mul(vxx, dyn.offset()[t]))), scale));
            }
            Mat.symmetrizeInPlace(q);
            double[][] quu = Mat.block(q, dx, dz, dx, dz);
            double[][] qux = Mat.block(q, dx, dz, 0, dx);
            double[] qu = Mat.slice(qv, dx, dz);
            double[][] l = Mat.cholesky(quu);
            covs[t] = Mat.symmetrizeInPlace(Mat.cholSolve(l, Mat.identity(du)));
            gains[t] = Mat.scale(Mat.cholSolve(l, qux), -1);
            offsets[t] = Mat.scale(Mat.cholSolve(l, qu), -1);
            double[][] qxx = Mat.block(q, 0, dx, 0, dx);
            double[][] qxu = Mat.block(q, 0, dx, dx, dz);
            vxx = Mat.symmetrizeInPlace(Mat.add(qxx, Mat.mul(qxu, gains[t])));
            vx = Mat.add(Mat.slice(qv, 0, dx), Mat.mul(qxu, offsets[t]));
            nextWeight = weight;
        }
        return new LinearGaussianController(gains, offsets, covs);
    }

    /** State-action marginals of a controller under the dynamics (forward pass). */
    public static StateActionMarginals forward(LinearGaussianDynamics dyn, LinearGaussianController c) {
        int horizon = c.horizon();
        int dx = dyn.stateDimension();
        int du = c.actionDimension();
        double[][] mu = new double[horizon][];
        double[][][] sigma = new double[horizon][][];
        double[] mx = dyn.initialMean().clone();
        double[][] sxx = Mat.copy(dyn.initialCovariance());
        for (int t = 0; t < horizon; t++) {
            double[][] k = c.gain(t);
            double[] mu_u = c.mean(t, mx);
            double[][] sxk = Mat.mult(sxx, k);
            double[][] s = new double[dx + du][dx + du];
            Mat.setBlock(s, 0, 0, sxx);
            Mat.setBlock(s, 0, dx, sxk);
            Mat.setBlock(s, dx, 0, Mat.transpose(sxk));
            Mat.setBlock(s, dx, dx, Mat.add(Mat.mul(k, sxk), c.covariance(t)));
            Mat.symmetrizeInPlace(s);
            mu[t] = Mat.concat(mx, mu_u);
            sigma[t] = s;
            if (t + 1 < horizon) {
                double[][] f = dyn.f()[t];
                mx = Mat.add(Mat.mul(f, mu[t]), dyn.offset()[t]);
                double[][] fs = Mat.mul(f, s);
                sxx = Mat.symmetrizeInPlace(Mat.add(Mat.mul(f, Mat.transpose(fs)), dyn.noise()[t]));
            }
        }
        return new StateActionMarginals(mu, sigma);
    }

    /**
     * Per-step {@code KL(p_new(u|x) || p_old(u|x))} averaged over the state marginals in {@code m}
     * (which must come from {@code next}), clipped at 0.
     */
    public static double[] kl(StateActionMarginals m, LinearGaussianController next, LinearGaussianController old) {
        int horizon = next.horizon();
        double[] out = new double[horizon];
        for (int t = 0; t < horizon; t++) {
            LinearGaussianController.Quadratic a = next.logQuadratic(t);
            LinearGaussianController.Quadratic b = old.logQuadratic(t);
            double[][] dm = Mat.sub(a.m(), b.m());
            double[] dv = Mat.sub(a.v(), b.v());
            double[] mu = m.mean()[t];
            double v = -0.5 * Mat.quad(dm, mu) - Mat.dot(mu, dv) - (a.c() - b.c())
                    - 0.5 * Mat.traceOfProduct(m.covariance()[t], dm)
                    - 0.5 * next.logDetCovariance(t) + 0.5 * old.logDetCovariance(t);
            out[t] = Math.max(0, v);
        }
        return out;
    }

    /**
     * Laplace estimate of the expected total cost of {@code c} under {@code dyn}:
     * {@code sum_t cc + 1/2 tr(Sigma Cm) + 1/2 mu^T Cm mu + mu^T cv}.
     */
    public static double expectedCost(LinearGaussianDynamics dyn, LinearGaussianController c, QuadraticCost cost) {
        StateActionMarginals m = forward(dyn, c);
        double j = 0;
        for (int t = 0; t < cost.horizon(); t++) {
            double[] mu = m.mean()[t];
            j += cost.cc()[t] + 0.5 * Mat.traceOfProduct(m.covariance()[t], cost.cm()[t])
                    + 0.5 * Mat.quad(cost.cm()[t], mu) + Mat.dot(mu, cost.cv()[t]);
        }
        return j;
    }

    /**
     * Finds the controller whose total KL from {@code reference} is {@code target} (within the
     * relative tolerance), starting the dual search at {@code eta0}.
     */
    public Result solve(LinearGaussianDynamics dyn, QuadraticCost cost, LinearGaussianController reference,
                        double eta0, double target) {
        return solve(dyn, cost, reference, eta0, target, null);
    }

    /** The dual search with the BADMM policy term in the cost (null for none). */
    public Result solve(LinearGaussianDynamics dyn, QuadraticCost cost, LinearGaussianController reference,
                        double eta0, double target, PolicyTerm badmm) {
        double minEta = settings.minEta();
        double maxEta = settings.maxEta();
        double eta = Math.min(Math.max(eta0, minEta), maxEta);
        Result last = null;
        for (int pass = 1; pass <= settings.maxPasses(); pass++) {
            double[] etaOut = {eta};
            LinearGaussianController c = backwardWithShift(dyn, cost, reference, etaOut, badmm);
            eta = etaOut[0];
            StateActionMarginals m = forward(dyn, c);
            double kl = sum(kl(m, c, reference));
            double con = kl - target;
            boolean converged = Math.abs(con) < settings.tolerance() * target;
            last = new Result(c, eta, kl, pass, converged, m);
            if (converged) {
                return last;
            }
            if (con < 0) {
                maxEta = eta;
                eta = Math.max(Math.sqrt(minEta * maxEta), 0.1 * maxEta);
            } else {
                minEta = eta;
                eta = Math.min(Math.sqrt(minEta * maxEta), 10 * minEta);
            }
            if (maxEta - minEta <= 1e-12 * maxEta) {
                break;
            }
        }
        return last;
    }

    /** Backward pass; when Q_uu is not positive definite, raises eta by a doubling increment. */
    private LinearGaussianController backwardWithShift(LinearGaussianDynamics dyn, QuadraticCost cost,
                                                       LinearGaussianController reference, double[] eta,
                                                       PolicyTerm badmm) {
        double base = eta[0];
        double del = settings.del0();
        while (true) {
            try {
                return backward(dyn, cost, reference, eta[0], badmm);
            } catch (NotPositiveDefiniteException e) {
                eta[0] = base + del;
                del *= 2;
                if (eta[0] >= settings.maxEta()) {
                    throw new NotPositiveDefiniteException("Q_uu not positive definite up to eta = " + settings.maxEta());
                }
            }
        }
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }
}
