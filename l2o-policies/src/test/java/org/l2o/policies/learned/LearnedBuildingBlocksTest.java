package org.l2o.policies.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.testkit.PolicyContract;
import org.l2o.api.testkit.ProviderContract;
import org.l2o.api.testkit.TestObjectives;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.Observation;
import org.l2o.api.update.PolicyProvider;
import org.l2o.kernels.PolicyRule;
import org.l2o.api.update.Rollout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class LearnedBuildingBlocksTest {

    @Nested
    class Mlp extends PolicyContract {
        @Override
        protected PolicyProvider provider() {
            return new MlpPolicyProvider();
        }

        @Override
        protected Map<String, String> parameters() {
            return Map.of("hidden", "6");
        }

        @Test
        void zeroCentredPolicyGivesZeroStepAtZeroFeatures() {
            var p = generic();
            assertArrayEquals(new double[actionSize()], p.mean(Nd4j.zeros(DataType.DOUBLE, 1, inputSize()))
                    .data().asDouble(), 1e-12);
        }
    }

    @Nested
    class MlpPlain extends PolicyContract {
        @Override
        protected PolicyProvider provider() {
            return new MlpPolicyProvider();
        }

        @Override
        protected Map<String, String> parameters() {
            return Map.of("hidden", "5", "zero-centred", "false", "activation", "tanh");
        }
    }

    @Nested
    class History extends org.l2o.api.testkit.FeatureMapContract {
        @Override
        protected FeatureMapProvider provider() {
            return new History2016Provider();
        }

        FeatureMap map(Map<String, String> params) {
            return provider().create(provider().configure(params), CreationContext.defaults());
        }

        @Test
        void paperSizesAndLayout() {
            // reproduction check 4 of the papers' quantitative claims: 125 inputs for n = 4, 325 for n = 12
            assertEquals(125, map(Map.of()).size(ParameterLayout.single(4)));
            assertEquals(325, map(Map.of()).size(ParameterLayout.single(12)));
        }

        @Test
        void valueDifferencesAndGradientLagsAreZeroFilled() {
            FeatureMap f = map(Map.of("history", "3"));
            var layout = ParameterLayout.single(2);
            var s = f.init(layout);
            var oracle = TestObjectives.oracle(TestObjectives.quadratic(2, 1, 0));
            double[][] grads = {{1, 2}, {3, 4}, {5, 6}};
            double[] values = {10, 7, 6};
            for (int t = 0; t < 3; t++) {
                s = f.push(s, new Observation(t, Nd4j.zeros(DataType.DOUBLE, 2), values[t],
                        Nd4j.createFromArray(grads[t]), oracle));
            }
            // diffs f_t - f_{t-k}: 6-7, 6-10, (no t-3: 0); gradients lag 0, 1, 2
            assertArrayEquals(new double[] {-1, -4, 0, 5, 6, 3, 4, 1, 2}, f.features(s).toDoubleVector(), 0.0);
            FeatureMap past = map(Map.of("history", "3", "current-gradient", "false"));
            var q = past.init(layout);
            for (int t = 0; t < 2; t++) {
                q = past.push(q, new Observation(t, Nd4j.zeros(DataType.DOUBLE, 2), values[t],
                        Nd4j.createFromArray(grads[t]), oracle));
            }
            assertArrayEquals(new double[] {-3, 0, 0, 1, 2, 0, 0, 0, 0}, past.features(q).toDoubleVector(), 0.0);
        }

        @Test
        void policyRuleWithLinearMomentumWeightsReproducesTruncatedMomentum() {
            // A linear "policy" with weights -lr * m^k on gradient lag k is momentum truncated to H terms.
            int n = 3;
            int h = 25;
            FeatureMap f = map(Map.of());
            double lr = 0.1;
            double m = 0.5;
            var linear = new org.l2o.api.update.StochasticPolicy() {
                public int inputSize() {
                    return h + h * n;
                }

                public int actionSize() {
                    return n;
                }

                public org.nd4j.linalg.api.ndarray.INDArray mean(org.nd4j.linalg.api.ndarray.INDArray phi) {
                    double[] x = phi.toDoubleVector();
                    double[] u = new double[n];
                    for (int k = 0; k < h; k++) {
                        for (int i = 0; i < n; i++) {
                            u[i] -= lr * Math.pow(m, k) * x[h + k * n + i];
                        }
                    }
                    return Nd4j.createFromArray(u).reshape(1, n);
                }

                public org.nd4j.linalg.api.ndarray.INDArray covariance() {
                    return Nd4j.eye(n);
                }
            };
            var q = TestObjectives.quadratic(n, 10, 2);
            var x0 = q.initialPoint(Seeds.generator(1));
            var learned = Rollout.run(q, new PolicyRule("linear", f, linear), x0, 20, Seeds.generator(1));
            var momentum = Rollout.run(q, new org.l2o.policies.classic.MomentumProvider().create(
                    new org.l2o.policies.classic.MomentumProvider().configure(Map.of("lr", "0.1", "momentum", "0.5")),
                    CreationContext.defaults()), x0, 20, Seeds.generator(1));
            // identical while t < H (no truncation yet)
            assertArrayEquals(momentum.values(), learned.values(), 1e-12);
        }
    }
}
