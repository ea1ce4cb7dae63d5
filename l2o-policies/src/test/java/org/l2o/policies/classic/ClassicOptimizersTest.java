package org.l2o.policies.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.api.testkit.TestObjectives;
import org.l2o.api.testkit.UpdateRuleContract;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.UpdateRule;
import org.l2o.api.update.UpdateRuleProvider;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassicOptimizersTest {

    static UpdateRule make(UpdateRuleProvider p, Map<String, String> params) {
        return p.create(p.configure(params), CreationContext.defaults());
    }

    /** Steps of a rule fed the given gradients at x = 0 (no oracle use). */
    static double[][] steps(UpdateRule rule, double[]... gradients) {
        int n = gradients[0].length;
        RuleState s = rule.init(ParameterLayout.single(n));
        double[][] out = new double[gradients.length][];
        Objective dummy = TestObjectives.quadratic(n, 1, 0);
        for (int t = 0; t < gradients.length; t++) {
            INDArray g = Nd4j.createFromArray(gradients[t]);
            var step = rule.step(new Observation(t, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, n), 0, g,
                    TestObjectives.oracle(dummy)), s);
            out[t] = step.dx().toDoubleVector();
            s = step.next();
        }
        return out;
    }

    static final double[] G = {0.5, -2.0, 1e-3};

    @Nested
    class Sgd extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new SgdProvider();
        }

        @Override
        protected Map<String, String> convergentParameters() {
            return Map.of("lr", "0.1");
        }

        @Test
        void stepIsMinusLrTimesGradient() {
            double[][] d = steps(make(provider(), Map.of("lr", "0.3")), G);
            assertArrayEquals(new double[] {-0.15, 0.6, -3e-4}, d[0], 1e-15);
        }
    }

    @Nested
    class Momentum extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new MomentumProvider();
        }

        @Override
        protected Map<String, String> convergentParameters() {
            return Map.of("lr", "0.05", "momentum", "0.5");
        }

        @Test
        void constantGradientAccumulatesGeometrically() {
            // torch: b1 = g, b_t = m b + g, so with a constant gradient dx_3 = -lr g (1 + m + m^2)
            double[][] d = steps(make(provider(), Map.of("lr", "0.1", "momentum", "0.5")), G, G, G);
            for (int i = 0; i < G.length; i++) {
                assertEquals(-0.1 * G[i], d[0][i], 1e-15);
                assertEquals(-0.1 * G[i] * 1.75, d[2][i], 1e-15);
            }
        }

        @Test
        void dampeningScalesLaterGradients() {
            double[][] d = steps(make(provider(), Map.of("lr", "1", "momentum", "0.5", "dampening", "0.5")), G, G);
            // b1 = g (no dampening on the first step, as torch), b2 = 0.5 g + 0.5 g = g
            assertArrayEquals(new double[] {-G[0], -G[1], -G[2]}, d[1], 1e-15);
        }
    }

    @Nested
    class Nesterov extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new NesterovProvider();
        }

        @Override
        protected Map<String, String> convergentParameters() {
            return Map.of("lr", "0.05", "momentum", "0.5");
        }

        @Test
        void firstStepLooksAhead() {
            double[][] d = steps(make(provider(), Map.of("lr", "0.1", "momentum", "0.9")), G, G);
            for (int i = 0; i < G.length; i++) {
                assertEquals(-0.1 * (G[i] + 0.9 * G[i]), d[0][i], 1e-15);
                // b2 = 0.9 g + g = 1.9 g; dx = -lr (g + 0.9 * 1.9 g)
                assertEquals(-0.1 * (G[i] + 0.9 * 1.9 * G[i]), d[1][i], 1e-15);
            }
        }
    }

    @Nested
    class Adagrad extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new AdagradProvider();
        }

        @Override
        protected Map<String, String> convergentParameters() {
            return Map.of("lr", "0.5");
        }

        @Test
        void stepsFollowTorchFormula() {
            double[][] d = steps(make(provider(), Map.of("lr", "0.1", "lr-decay", "0.5")), G, G);
            for (int i = 0; i < G.length; i++) {
                assertEquals(-0.1 * G[i] / (Math.abs(G[i]) + 1e-10), d[0][i], 1e-15);
                // clr = lr / (1 + 1 * 0.5), sum = 2 g^2
                assertEquals(-(0.1 / 1.5) * G[i] / (Math.sqrt(2) * Math.abs(G[i]) + 1e-10), d[1][i], 1e-15);
            }
        }
    }

    @Nested
    class Rmsprop extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new RmspropProvider();
        }

        @Override
        protected Map<String, String> convergentParameters() {
            return Map.of("lr", "0.05");
        }

        @Test
        void firstStepFollowsTorchFormula() {
            double[][] d = steps(make(provider(), Map.of("lr", "0.01")), G);
            for (int i = 0; i < G.length; i++) {
                assertEquals(-0.01 * G[i] / (Math.sqrt(0.01) * Math.abs(G[i]) + 1e-8), d[0][i], 1e-15);
            }
            double[][] c = steps(make(provider(), Map.of("lr", "0.01", "centered", "true", "momentum", "0.5")), G, G);
            for (int i = 0; i < G.length; i++) {
                // centred: v = 0.01 g^2 - (0.01 g)^2
                double a = Math.sqrt(0.01 * G[i] * G[i] - 1e-4 * G[i] * G[i]) + 1e-8;
                assertEquals(-0.01 * G[i] / a, c[0][i], 1e-12);
            }
        }
    }

    @Nested
    class Adam extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new AdamProvider();
        }

        @Override
        protected Map<String, String> convergentParameters() {
            return Map.of("lr", "0.1");
        }

        @Test
        void firstStepIsLrTimesSignAndSecondFollowsBiasCorrection() {
            double[] g2 = {1.0, 1.0, -1.0};
            double[][] d = steps(make(provider(), Map.of("lr", "0.01")), G, g2);
            for (int i = 0; i < G.length; i++) {
                assertEquals(-0.01 * G[i] / (Math.abs(G[i]) + 1e-8), d[0][i], 1e-15);
                double m = 0.9 * 0.1 * G[i] + 0.1 * g2[i];
                double v = 0.999 * 0.001 * G[i] * G[i] + 0.001 * g2[i] * g2[i];
                double expected = -(0.01 / (1 - 0.81)) * m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 * 0.999) + 1e-8);
                assertEquals(expected, d[1][i], 1e-14);
            }
        }

        @Test
        void amsgradKeepsTheLargestSecondMoment() {
            double[] small = {1e-3, 1e-3, 1e-3};
            double[][] plain = steps(make(provider(), Map.of()), G, small, small);
            double[][] ams = steps(make(provider(), Map.of("amsgrad", "true")), G, small, small);
            assertTrue(Math.abs(ams[2][0]) <= Math.abs(plain[2][0]));
        }
    }

    @Nested
    class ConjugateGradient extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new ConjugateGradientProvider();
        }

        @Test
        void solvesAQuadraticAndCountsLineSearchEvaluations() {
            Objective q = TestObjectives.quadratic(10, 100, 4);
            var r = Rollout.run(q, make(provider(), Map.of()), q.initialPoint(Seeds.generator(1)), 40,
                    Seeds.generator(1));
            assertTrue(r.finalValue() < 1e-10, "final " + r.finalValue());
            assertTrue(r.evaluations() > 40, "evaluations " + r.evaluations());
        }
    }

    @Nested
    class Lbfgs extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new LbfgsProvider();
        }

        @Test
        void solvesAnIllConditionedQuadraticFasterThanGradientDescent() {
            Objective q = TestObjectives.quadratic(20, 1000, 4);
            INDArray x0 = q.initialPoint(Seeds.generator(1));
            // With memory >= dimension and a near-exact line search, L-BFGS on a quadratic terminates
            // in about n steps (it matches CG); the default m = 10 converges linearly instead.
            var lbfgs = Rollout.run(q, make(provider(), Map.of("memory", "30", "c2", "0.1")), x0, 40,
                    Seeds.generator(1));
            var gd = Rollout.run(q, make(new SgdProvider(), Map.of("lr", "0.001")), x0, 60, Seeds.generator(1));
            assertTrue(lbfgs.finalValue() < 1e-10, "final " + lbfgs.finalValue());
            assertTrue(gd.finalValue() > 1e-3);
        }
    }

    @Test
    void lbfgsAndCgSolveRosenbrock() {
        // Known result: from (-1.2, 1) quasi-Newton and CG with Wolfe searches reach the minimum (1, 1).
        Objective rosen = new Objective() {
            public String family() {
                return "rosenbrock";
            }

            public org.l2o.api.objective.ParameterLayout layout() {
                return ParameterLayout.single(2);
            }

            public INDArray initialPoint(java.util.random.RandomGenerator r) {
                return Nd4j.createFromArray(-1.2, 1.0);
            }

            public org.l2o.api.objective.Evaluation evaluate(INDArray p) {
                double x = p.getDouble(0);
                double y = p.getDouble(1);
                double a = y - x * x;
                return new org.l2o.api.objective.Evaluation(100 * a * a + (1 - x) * (1 - x),
                        Nd4j.createFromArray(-400 * a * x - 2 * (1 - x), 200 * a));
            }
        };
        var l = Rollout.run(rosen, make(new LbfgsProvider(), Map.of()), rosen.initialPoint(null), 100, Seeds.generator(1));
        assertTrue(l.finalValue() < 1e-10, "lbfgs final " + l.finalValue());
        assertArrayEquals(new double[] {1, 1}, l.finalPoint().toDoubleVector(), 1e-4);
        var c = Rollout.run(rosen, make(new ConjugateGradientProvider(), Map.of()), rosen.initialPoint(null), 200,
                Seeds.generator(1));
        assertTrue(c.finalValue() < 1e-8, "cg final " + c.finalValue());
    }

    @Test
    void moduleDescriptorAndServiceFileAgree() {
        ServiceDeclarations.assertAgree(SgdProvider.class);
    }
}
