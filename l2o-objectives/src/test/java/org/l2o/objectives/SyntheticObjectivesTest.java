package org.l2o.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.testkit.ObjectiveContract;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.objectives.synthetic.LogisticRegressionProvider;
import org.l2o.objectives.synthetic.NeuralNetClassifierProvider;
import org.l2o.objectives.synthetic.QuadraticProvider;
import org.l2o.objectives.synthetic.RobustRegressionProvider;
import org.l2o.objectives.synthetic.RosenbrockProvider;
import org.nd4j.linalg.factory.Nd4j;

class SyntheticObjectivesTest {

    static Objective sample(ObjectiveProvider p, Map<String, String> params) {
        return p.create(p.configure(params), CreationContext.defaults()).test(1, 0);
    }

    @Nested
    class Quadratic extends ObjectiveContract {
        @Override
        protected ObjectiveProvider provider() {
            return new QuadraticProvider();
        }

        @Test
        void minimumIsZeroAtTheCentreAndConditionIsAsDeclared() {
            Objective q = sample(provider(), Map.of("dimension", "6", "condition", "100"));
            // Along the gradient direction from any point the curvature lies within [1, condition].
            var r = Seeds.generator(3);
            for (int k = 0; k < 20; k++) {
                var x = q.initialPoint(r);
                Evaluation e = q.evaluate(x);
                var g = e.gradient();
                double gg = g.mul(g).sumNumber().doubleValue();
                double curvature = 2 * (q.value(x.sub(g.mul(1e-3))) - e.value() + 1e-3 * gg) / (1e-6 * gg);
                assertTrue(curvature > 1 - 1e-6 && curvature < 100 + 1e-6, "curvature " + curvature);
                // f = 1/2 g' A^-1 g >= |g|^2 / (2 * condition)
                assertTrue(e.value() >= gg / 200 - 1e-12);
            }
        }
    }

    @Nested
    class Rosenbrock extends ObjectiveContract {
        @Override
        protected ObjectiveProvider provider() {
            return new RosenbrockProvider();
        }

        @Override
        protected Map<String, String> parameters() {
            return Map.of("dimension", "5");
        }

        @Override
        protected boolean randomFamily() {
            return false;
        }

        @Test
        void knownValues() {
            Objective f = sample(provider(), Map.of("dimension", "4"));
            Evaluation atOptimum = f.evaluate(Nd4j.createFromArray(1.0, 1.0, 1.0, 1.0));
            assertEquals(0.0, atOptimum.value(), 0.0);
            assertEquals(0.0, atOptimum.gradient().norm2Number().doubleValue(), 0.0);
            Objective f2 = sample(provider(), Map.of());
            var x0 = f2.initialPoint(Seeds.generator(1));
            assertEquals(-1.2, x0.getDouble(0), 0.0);
            assertEquals(1.0, x0.getDouble(1), 0.0);
            // The classic start has f = 24.2.
            assertEquals(24.2, f2.value(x0), 1e-12);
        }
    }

    @Nested
    class LogisticRegression extends ObjectiveContract {
        @Override
        protected ObjectiveProvider provider() {
            return new LogisticRegressionProvider();
        }

        @Test
        void paperDimensionsAndValueAtZero() {
            Objective f = sample(provider(), Map.of());
            assertEquals(4, f.dimension());
            // At w = 0, b = 0 every prediction is 1/2: the loss is log 2 whatever the data.
            assertEquals(Math.log(2), f.value(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 4)), 1e-12);
        }
    }

    @Nested
    class RobustRegression extends ObjectiveContract {
        @Override
        protected ObjectiveProvider provider() {
            return new RobustRegressionProvider();
        }

        @Test
        void lossIsBoundedByOne() {
            Objective f = sample(provider(), Map.of());
            assertEquals(4, f.dimension());
            // r^2 / (c^2 + r^2) < 1 for every residual.
            assertTrue(f.value(Nd4j.createFromArray(1e6, -1e6, 1e6, 1e6)) < 1.0);
            assertTrue(f.value(Nd4j.createFromArray(1e6, -1e6, 1e6, 1e6)) > 0.99);
        }
    }

    @Nested
    class NeuralNetClassifier extends ObjectiveContract {
        @Override
        protected ObjectiveProvider provider() {
            return new NeuralNetClassifierProvider();
        }

        @Test
        void paperDimensionsAndLayout() {
            Objective f = sample(provider(), Map.of());
            assertEquals(12, f.dimension());
            assertEquals(4, f.layout().groups().size());
            // With all weights zero the two classes are equally likely: loss = log 2.
            assertEquals(Math.log(2), f.value(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 12)), 1e-12);
        }
    }

    @Test
    void moduleDescriptorAndServiceFileAgree() {
        ServiceDeclarations.assertAgree(QuadraticProvider.class);
    }
}
