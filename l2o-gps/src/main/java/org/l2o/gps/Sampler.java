package org.l2o.gps;

import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureState;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Oracle;
import org.l2o.gps.linalg.Mat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws trajectories of a linear-Gaussian controller on one condition. The GPS state at step t is
 * {@code [x_t; phi_t]}: the iterate and the policy features after observing {@code x_t}; the action
 * is the step, {@code x_{t+1} = x_t + u_t}; the cost is the true objective {@code f(x_{t+1})}
 * (Li & Malik 2016, state, action and cost). Around each sample the cost is expanded to second order in
 * {@code z = [x; phi; u]} (gradient and finite-difference Hessian on the iterate and action blocks,
 * which both enter through {@code x + u}) and the expansions are averaged per step (Levine & Abbeel 2014, local cost).
 */
final class Sampler {

    private final FeatureMap features;
    private final boolean hessian;

    Sampler(FeatureMap features, boolean hessian) {
        this.features = features;
        this.hessian = hessian;
    }

    /**
     * N trajectories of {@code controller}; with {@code random == null} the controller's mean is
     * followed without noise (one trajectory is enough then).
     */
    SampleBatch sample(Condition c, LinearGaussianController controller, int n, RandomGenerator random,
                       MetaTrainingListener listener, int iteration) {
        Objective f = c.objective();
        int horizon = controller.horizon();
        int du = f.dimension();
        double[][][] states = new double[n][horizon][];
        double[][][] actions = new double[n][horizon][];
        double[][] costs = new double[n][horizon];
        double[][][] hess = new double[horizon][du][du];
        double[][] lin = new double[horizon][du];
        double[] cc = new double[horizon];
        Oracle oracle = Oracle.uncounted(f::evaluate);
        for (int s = 0; s < n; s++) {
            double[] x = c.start().toDoubleVector();
            Evaluation e = f.evaluate(c.start());
            FeatureState history = features.init(f.layout());
            for (int t = 0; t < horizon; t++) {
                history = features.push(history, new Observation(t, DenseVectors.of(x), e.value(), e.gradient(),
                        oracle));
                double[] phi = features.features(history).toDoubleVector();
                double[] state = Mat.concat(x, phi);
                double[] u = random == null ? controller.mean(t, state)
                        : controller.sample(t, state, gaussian(random, du));
                double[] next = Mat.add(x, u);
                INDArray nextPoint = DenseVectors.of(next);
                e = f.evaluate(nextPoint);
                states[s][t] = state;
                actions[s][t] = u;
                costs[s][t] = e.value();
                expand(f, next, e, hess[t], lin[t], cc, t, n);
                if (listener != null) {
                    listener.sample(iteration, c.index(), s, t, e.value(), phi, u);
                }
                x = next;
            }
        }
        return new SampleBatch(states, actions, costs, hess, lin, cc);
    }

    /**
     * Adds this sample's share of the expansion around {@code zbar = [state; u]}: with
     * {@code w = x + u}, gradient g and Hessian H of f at w, {@code l_z} is g on the iterate and
     * action blocks, {@code l_zz} is H on their four combinations; re-centred at the origin,
     * {@code cv = l_z - l_zz zbar}, {@code cc = l - zbar^T l_z + 1/2 zbar^T l_zz zbar}.
     */
    private void expand(Objective f, double[] w, Evaluation e, double[][] hess, double[] lin, double[] cc, int t, int n) {
        int du = w.length;
        double[] g = e.gradient().toDoubleVector();
        double[][] h = hessian ? finiteDifferenceHessian(f, w) : new double[du][du];
        double[] hw = Mat.mul(h, w);
        double inv = 1.0 / n;
        for (int i = 0; i < du; i++) {
            lin[i] += (g[i] - hw[i]) * inv;
            for (int j = 0; j < du; j++) {
                hess[i][j] += h[i][j] * inv;
            }
        }
        // zbar^T l_z = g . (x + u) = g . w; zbar^T l_zz zbar = w^T H w
        cc[t] += (e.value() - Mat.dot(g, w) + 0.5 * Mat.dot(w, hw)) * inv;
    }

    /** Central differences of the gradient, symmetrised. */
    static double[][] finiteDifferenceHessian(Objective f, double[] x) {
        int n = x.length;
        double[][] h = new double[n][];
        for (int i = 0; i < n; i++) {
            double step = 1e-5 * Math.max(1, Math.abs(x[i]));
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += step;
            minus[i] -= step;
            double[] gp = f.evaluate(Nd4j.createFromArray(plus)).gradient().toDoubleVector();
            double[] gm = f.evaluate(Nd4j.createFromArray(minus)).gradient().toDoubleVector();
            h[i] = new double[n];
            for (int j = 0; j < n; j++) {
                h[i][j] = (gp[j] - gm[j]) / (2 * step);
            }
        }
        return Mat.symmetrizeInPlace(h);
    }

    static double[] gaussian(RandomGenerator r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }
}
