package org.l2o.policies.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.Seeds;
import org.l2o.api.testkit.FiniteDifferences;
import org.l2o.api.testkit.ProviderContract;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.nd4j.linalg.factory.Nd4j;

class LstmPolicyTest {

    static final LstmPolicyProvider PROVIDER = new LstmPolicyProvider();

    @Nested
    class Contract extends org.l2o.api.testkit.CoordinatewisePolicyContract {
        @Override
        protected CoordinatewisePolicyProvider provider() {
            return PROVIDER;
        }

        @Override
        protected java.util.Map<String, String> parameters() {
            return java.util.Map.of("layers", "6,5", "output-scale", "0.1");
        }
    }

    /** Fed the 2017 observation features through their own feature map, one network per group. */
    @Nested
    class FeatureContract extends org.l2o.api.testkit.CoordinatewisePolicyContract {
        @Override
        protected CoordinatewisePolicyProvider provider() {
            return PROVIDER;
        }

        @Override
        protected java.util.Map<String, String> parameters() {
            return java.util.Map.of("layers", "6", "inputs", "3", "preprocess", "none", "output-scale", "0.1");
        }

        @Override
        protected java.util.Optional<org.l2o.api.update.FeatureMap> features() {
            var fp = new Lm2017Provider();
            return java.util.Optional.of(fp.create(fp.configure(java.util.Map.of()),
                    org.l2o.api.CreationContext.defaults()));
        }
    }

    /** Spec section 5, check 1: exact values of the log/sign preprocessing. */
    @Test
    void logSignPreprocessingMatchesThePaperAndTheCode() {
        double[] o = new double[2];
        LogSign.apply(1, 10, o, 0);
        assertArrayEquals(new double[] {0, 1}, o, 1e-6);
        LogSign.apply(-1e-3, 10, o, 0);
        assertArrayEquals(new double[] {-0.69078, -1}, o, 1e-5);
        LogSign.apply(1e-5, 10, o, 0);
        assertArrayEquals(new double[] {-1, 0.22026}, o, 1e-5);
        LogSign.apply(-1e-3, 5, o, 0);
        assertArrayEquals(new double[] {-1, -0.14841}, o, 1e-5);
        LogSign.apply(1e-5, 5, o, 0);
        assertArrayEquals(new double[] {-1, 0.0014841}, o, 1e-6);
    }

    /**
     * An unrolled meta-loss {@code sum_t f(theta_t)} on a quadratic, {@code theta_(t+1) = theta_t + step_t},
     * with the gradients fed to the network frozen at their values in the unperturbed run (the
     * second-derivative-free meta-gradient of Andrychowicz et al. 2016, the meta-loss and truncated BPTT). Its derivative is exactly what backward
     * computes with upstream gradients {@code sum_(s>t) grad f(theta_s)}.
     */
    static double unrolledLoss(CoordinatewisePolicy net, double[] theta0, double[] centre, double[][] frozen, int steps,
                               double[][] gradsOut, CoordinatewisePolicy.Tape tape) {
        int n = theta0.length;
        double[] theta = theta0.clone();
        double[] state = new double[n * net.stateSize()];
        double loss = 0;
        for (int t = 0; t < steps; t++) {
            double[] g = new double[n];
            for (int j = 0; j < n; j++) {
                g[j] = (j + 1) * (theta[j] - centre[j]);
            }
            if (gradsOut != null) {
                gradsOut[t] = g;
            }
            double[] next = new double[state.length];
            double[] step = net.step(frozen == null ? g : frozen[t], state, next, tape);
            state = next;
            for (int j = 0; j < n; j++) {
                theta[j] += step[j];
                loss += 0.5 * (j + 1) * (theta[j] - centre[j]) * (theta[j] - centre[j]);
            }
        }
        return loss;
    }

    @Test
    void backpropagationThroughTimeMatchesFiniteDifferences() {
        for (String preprocess : new String[] {"log-sign", "none"}) {
            var config = PROVIDER.configure(Map.of("layers", "5,4", "preprocess", preprocess, "output-scale", "0.3"));
            CoordinatewisePolicy net = PROVIDER.create(config, Seeds.generator(2));
            RandomGenerator r = Seeds.generator(3);
            int n = 3;
            int steps = 6;
            double[] theta0 = {1.0, -0.5, 0.3};
            double[] centre = {0.2, 0.1, -0.4};
            double[][] grads = new double[steps][];
            CoordinatewisePolicy.Tape tape = net.newTape(n);
            unrolledLoss(net, theta0, centre, null, steps, grads, tape);
            assertEquals(steps, tape.steps());
            // recompute the gradients at the iterates after each step: dL/dstep_t = sum_{s>=t} grad f(theta_{s+1})
            double[] theta = theta0.clone();
            double[] state = new double[n * net.stateSize()];
            double[][] after = new double[steps][n];
            for (int t = 0; t < steps; t++) {
                double[] next = new double[state.length];
                double[] step = net.step(grads[t], state, next, null);
                state = next;
                for (int j = 0; j < n; j++) {
                    theta[j] += step[j];
                    after[t][j] = (j + 1) * (theta[j] - centre[j]);
                }
            }
            double[][] upstream = new double[steps][n];
            for (int t = steps - 1; t >= 0; t--) {
                for (int j = 0; j < n; j++) {
                    upstream[t][j] = after[t][j] + (t + 1 < steps ? upstream[t + 1][j] : 0);
                }
            }
            double[] analytic = net.backward(tape, upstream);
            var params = net.parameters();
            FiniteDifferences.check(w -> unrolledLoss(net.withParameters(w), theta0, centre, grads, steps, null, null),
                    params, Nd4j.createFromArray(analytic), 80, 1e-6, r, "lstm BPTT (" + preprocess + ")");
        }
    }

    /** {@code sum_t sum_j c[t][j] * step_t[j]} for fixed feature-major inputs. */
    static double linearLoss(CoordinatewisePolicy net, double[][] inputs, double[][] c, CoordinatewisePolicy.Tape tape) {
        int n = c[0].length;
        double[] state = new double[n * net.stateSize()];
        double loss = 0;
        for (int t = 0; t < inputs.length; t++) {
            double[] next = new double[state.length];
            double[] step = net.step(inputs[t], state, next, tape);
            state = next;
            for (int j = 0; j < n; j++) {
                loss += c[t][j] * step[j];
            }
        }
        return loss;
    }

    /** The 2017 policy: three feature inputs per coordinate with fixed input scales, one network per group. */
    @Test
    void featureInputsBackpropagateLikeFiniteDifferencesAndSplitByGroup() {
        var config = PROVIDER.configure(Map.of("layers", "6", "preprocess", "none", "inputs", "3",
                "input-scale", "2,0.5,3", "output-scale", "0.2", "networks", "per-group", "groups", "2"));
        var layout = org.l2o.api.objective.ParameterLayout.of("W", new int[] {2, 1}, "b", new int[] {2});
        CoordinatewisePolicy net = PROVIDER.create(config, Seeds.generator(4)).bind(layout);
        assertEquals(3, net.inputSize());
        RandomGenerator r = Seeds.generator(8);
        int n = 4;
        int steps = 5;
        double[][] inputs = new double[steps][];
        double[][] c = new double[steps][];
        for (int t = 0; t < steps; t++) {
            inputs[t] = r.doubles(3 * n, -1, 1).toArray();
            c[t] = r.doubles(n, -1, 1).toArray();
        }
        CoordinatewisePolicy.Tape tape = net.newTape(n);
        linearLoss(net, inputs, c, tape);
        double[] analytic = net.backward(tape, c);
        FiniteDifferences.check(w -> linearLoss(net.withParameters(w), inputs, c, null), net.parameters(),
                Nd4j.createFromArray(analytic), 60, 1e-6, r, "lstm BPTT (3 scaled inputs, per-group)");
        // group b (coordinates 2, 3) runs the second network on its own columns of every input row
        var single = PROVIDER.configure(Map.of("layers", "6", "preprocess", "none", "inputs", "3",
                "input-scale", "2,0.5,3", "output-scale", "0.2"));
        double[] all = net.parameters().toDoubleVector();
        int each = all.length / 2;
        CoordinatewisePolicy second = PROVIDER.restore(single,
                Nd4j.createFromArray(java.util.Arrays.copyOfRange(all, each, 2 * each)));
        double[] sub = new double[6];
        for (int row = 0; row < 3; row++) {
            sub[2 * row] = inputs[0][row * n + 2];
            sub[2 * row + 1] = inputs[0][row * n + 3];
        }
        double[] whole = net.step(inputs[0], new double[n * net.stateSize()], new double[n * net.stateSize()], null);
        double[] part = second.step(sub, new double[2 * net.stateSize()], new double[2 * net.stateSize()], null);
        assertArrayEquals(part, java.util.Arrays.copyOfRange(whole, 2, 4), 1e-15);
        var bad = org.junit.jupiter.api.Assertions.assertThrows(org.l2o.api.ConfigurationException.class,
                () -> PROVIDER.create(PROVIDER.configure(Map.of("inputs", "3")), Seeds.generator(1)));
        assertTrue(bad.getMessage().contains("preprocess=none"), bad.getMessage());
    }

    @Test
    void zeroStateAndDeterminism() {
        var config = PROVIDER.configure(Map.of());
        CoordinatewisePolicy a = PROVIDER.create(config, Seeds.generator(5));
        CoordinatewisePolicy b = PROVIDER.restore(config, a.parameters());
        assertEquals(80, a.stateSize());
        double[] g = {0.3, -1e-6, 2.0};
        double[] s = new double[3 * a.stateSize()];
        assertArrayEquals(a.step(g, s, new double[s.length], null), b.step(g, s, new double[s.length], null), 0.0);
        // a coordinate's step depends on its own gradient only
        double[] g2 = {0.3, 5.0, -7.0};
        assertEquals(a.step(g, s, new double[s.length], null)[0], a.step(g2, s, new double[s.length], null)[0], 0.0);
        assertTrue(LstmPolicy.parameterCount(new int[] {20, 20}, true) > 0);
    }
}
