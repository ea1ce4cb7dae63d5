package org.l2o.gps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.testkit.ProviderContract;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.PolicyProvider;
import org.l2o.gps.linalg.Mat;
import org.l2o.objectives.synthetic.LogisticRegressionProvider;
import org.l2o.objectives.synthetic.QuadraticProvider;
import org.l2o.policies.learned.History2016Provider;
import org.l2o.policies.learned.MlpPolicyProvider;

class GuidedPolicySearchTest {

    static final GpsProvider GPS = new GpsProvider();

    static ObjectiveFamily family(ObjectiveProvider p, Map<String, String> params) {
        return p.create(p.configure(params), CreationContext.defaults());
    }

    static MetaTrainingRequest request(ObjectiveFamily family, int objectives, int steps, Optional<byte[]> resume,
                                       Map<String, String> features) {
        PolicyProvider pp = new MlpPolicyProvider();
        FeatureMapProvider fp = new History2016Provider();
        var fc = fp.configure(features);
        return new MetaTrainingRequest(family, family.id(), Map.of(), objectives, steps, 5,
                new MetaTrainingRequest.PolicyClass("mlp", pp, pp.configure(Map.of("hidden", "8"))),
                new MetaTrainingRequest.Features("lm2016", fc, fp.create(fc, CreationContext.defaults())), resume);
    }

    static Map<String, String> small(int iterations) {
        Map<String, String> m = new HashMap<>(Map.of("iterations", Integer.toString(iterations), "samples", "4",
                "policy-iterations-first", "200", "policy-iterations", "50", "policy-batch", "32",
                "validation-objectives", "2"));
        return m;
    }

    static GuidedPolicySearch trainer(Map<String, String> params) {
        return (GuidedPolicySearch) GPS.create(GPS.configure(params), CreationContext.defaults());
    }

    static class Capture implements MetaTrainingListener {
        final List<byte[]> checkpoints = new ArrayList<>();
        final List<Map<String, Double>> metrics = new ArrayList<>();
        final List<String> messages = new ArrayList<>();
        int samples;

        @Override
        public void message(String text) {
            messages.add(text);
        }

        @Override
        public void checkpoint(int iteration, byte[] state, LearnedOptimizer current) {
            checkpoints.add(state);
        }

        @Override
        public void iteration(int iteration, int iterations, Map<String, Double> m) {
            metrics.add(m);
        }

        @Override
        public void sample(int it, int c, int s, int t, double cost, double[] f, double[] a) {
            samples++;
        }
    }

    @org.junit.jupiter.api.Nested
    class Contract extends ProviderContract<org.l2o.api.meta.MetaTrainerProvider> {
        @Override
        protected org.l2o.api.meta.MetaTrainerProvider provider() {
            return GPS;
        }
    }

    @org.junit.jupiter.api.Nested
    class Trainer extends org.l2o.api.testkit.MetaTrainerContract {
        @Override
        protected boolean remoteRollouts() {
            return true;
        }

        @Override
        protected org.l2o.api.meta.MetaTrainerProvider provider() {
            return GPS;
        }

        @Override
        protected Map<String, String> parameters(int iterations) {
            return small(iterations);
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            return GuidedPolicySearchTest.request(family(new LogisticRegressionProvider(), Map.of()), 3, 6, resume,
                    Map.of());
        }

        @Override
        protected org.l2o.api.update.UpdateRule untrained(MetaTrainingRequest request) {
            PolicyProvider pp = (PolicyProvider) request.policy().provider();
            var first = request.family().train(request.seed(), 0);
            var policy = pp.create(request.policy().config(), request.features().map().size(first.layout()),
                    first.dimension(), Seeds.generator(request.seed(), "gps-policy-init", 0));
            return new org.l2o.kernels.PolicyRule("untrained", request.features().map(), policy);
        }
    }

    @Test
    void serviceDeclarationsAndGridValidation() {
        ServiceDeclarations.assertAgree(GpsProvider.class);
        var config = GPS.configure(Map.of("init-lr-grid", "1,x"));
        var e = assertThrows(ConfigurationException.class, () -> GPS.create(config, CreationContext.defaults()));
        assertTrue(e.getMessage().contains("init-lr-grid") && e.getMessage().contains("1,x"), e.getMessage());
    }

    /** Spec section 5, check 5: with no exploration noise the initial controller is the tuned momentum. */
    @Test
    void initialControllerReproducesTunedMomentumStepForStep() {
        ObjectiveFamily f = family(new LogisticRegressionProvider(), Map.of());
        var objective = f.train(5, 0);
        var start = objective.initialPoint(Seeds.generator(1));
        var condition = new Condition(0, objective, start);
        var fm = new History2016Provider().create(new History2016Provider().configure(Map.of()), CreationContext.defaults());
        int steps = 40;
        var setting = new MomentumInit.Setting(2.0, 0.5, 0);
        var controller = MomentumInit.controller(setting, 4, 25, steps, 1e-6);
        SampleBatch b = new Sampler(fm, false).sample(condition, controller, 1, null, null, 0);
        // independent heavy-ball momentum, b = m b + g, x -= lr b (no truncation)
        double[] x = start.toDoubleVector();
        double[] buf = new double[4];
        for (int t = 0; t < steps; t++) {
            assertArrayEquals(x, Mat.slice(b.states()[0][t], 0, 4), t < 25 ? 1e-12 : 1e-6, "iterate at step " + t);
            double[] g = objective.evaluate(org.nd4j.linalg.factory.Nd4j.createFromArray(x)).gradient().toDoubleVector();
            for (int i = 0; i < 4; i++) {
                buf[i] = 0.5 * buf[i] + g[i];
                x[i] -= 2.0 * buf[i];
            }
        }
        // truncation to 25 gradients changes the step by at most lr * m^25 * max|g|: negligible at m = 0.5
        assertTrue(Math.pow(0.5, 25) * 2.0 < 1e-7);
    }

    @Test
    void structuredDynamicsPredictTheNextGradientOfAQuadraticExactly() {
        ObjectiveFamily f = family(new QuadraticProvider(), Map.of("dimension", "3", "condition", "5"));
        var objective = f.train(1, 0);
        var condition = new Condition(0, objective, objective.initialPoint(Seeds.generator(2)));
        var fm = new History2016Provider().create(new History2016Provider().configure(Map.of("history", "4")),
                CreationContext.defaults());
        var setting = new MomentumInit.Setting(0.1, 0.5, 0);
        int n = 3;
        int h = 4;
        var controller = MomentumInit.controller(setting, n, h, 8, 0.01);
        SampleBatch b = new Sampler(fm, true).sample(condition, controller, 12, Seeds.generator(3), null, 0);
        LinearGaussianDynamics d = StructuredDynamics.fit(b, n, h, 1e-9);
        int gradients = n + h;
        for (int s = 0; s < b.samples(); s++) {
            for (int t = 0; t + 1 < b.horizon(); t++) {
                double[] z = Mat.concat(b.states()[s][t], b.actions()[s][t]);
                double[] predicted = Mat.add(Mat.mul(d.f()[t], z), d.offset()[t]);
                double[] actual = b.states()[s][t + 1];
                // iterate and every gradient lag: exact (the gradient of a quadratic is affine in x + u)
                for (int i = 0; i < n; i++) {
                    assertEquals(actual[i], predicted[i], 1e-9);
                }
                for (int i = gradients; i < actual.length; i++) {
                    assertEquals(actual[i], predicted[i], 1e-6, "gradient entry " + i + " at t " + t);
                }
                // history slots not filled yet stay zero
                for (int k = t + 2; k <= h; k++) {
                    assertEquals(0.0, predicted[n + k - 1], 0.0);
                }
            }
        }
        // and the cost expansion is exact for a quadratic: Laplace estimate of the sampling controller
        // matches the sample average of the costs within sampling error
        assertTrue(Double.isFinite(KlConstrainedLqr.expectedCost(d, controller, b.cost())));
    }

    /** Determinism and resumption are checked by the contract ({@link Trainer}); here, what a run reports. */
    @Test
    void trainingReportsSamplesCheckpointsAndTheLearnedShape() {
        ObjectiveFamily f = family(new LogisticRegressionProvider(), Map.of());
        Capture twice = new Capture();
        MetaTrainingResult full = trainer(small(2)).train(request(f, 3, 6, Optional.empty(), Map.of()), twice);
        assertEquals(2, twice.checkpoints.size());
        assertEquals(2 * 3 * 4 * 6, twice.samples);
        LearnedOptimizer lo = full.optimizer();
        assertEquals(4, lo.actionSize());
        assertEquals(125, lo.inputSize());
        assertEquals("gps", lo.provenance().trainer());
        for (var m : twice.metrics) {
            assertTrue(Double.isFinite(m.get("sample_cost")) && m.get("kl") >= 0, m.toString());
        }
    }

    @Test
    void badmmVariantTrainsDeterministicallyAndResumesExactly() {
        ObjectiveFamily f = family(new LogisticRegressionProvider(), Map.of());
        Map<String, String> params = small(2);
        params.put("variant", "badmm");
        params.put("inner-iterations", "2");
        Capture c = new Capture();
        MetaTrainingResult full = trainer(params).train(request(f, 3, 6, Optional.empty(), Map.of()), c);
        Map<String, String> one = new HashMap<>(params);
        one.put("iterations", "1");
        Capture first = new Capture();
        trainer(one).train(request(f, 3, 6, Optional.empty(), Map.of()), first);
        MetaTrainingResult resumed = trainer(params).train(request(f, 3, 6, Optional.of(first.checkpoints.get(0)),
                Map.of()), MetaTrainingListener.NONE);
        assertArrayEquals(full.optimizer().weights().get("parameters").toDoubleVector(),
                resumed.optimizer().weights().get("parameters").toDoubleVector(), 0.0);
        for (var m : c.metrics) {
            assertTrue(Double.isFinite(m.get("sample_cost")) && Double.isFinite(m.get("regression_loss")), m.toString());
        }
    }

    @Test
    void genericDynamicsWithMixturePriorTrains() {
        ObjectiveFamily f = family(new LogisticRegressionProvider(), Map.of());
        Map<String, String> params = small(1);
        params.put("dynamics", "generic");
        params.put("gmm-clusters", "2");
        params.put("gmm-points", "15");
        Capture c = new Capture();
        trainer(params).train(request(f, 2, 6, Optional.empty(), Map.of("history", "2")), c);
        assertTrue(Double.isFinite(c.metrics.get(0).get("sample_cost")) && c.metrics.get(0).get("kl") >= 0);
    }

    @Test
    void rejectsFeatureMapsItCannotInitialise() {
        ObjectiveFamily f = family(new LogisticRegressionProvider(), Map.of());
        var e = assertThrows(ConfigurationException.class, () -> trainer(small(1)).train(
                request(f, 2, 5, Optional.empty(), Map.of("current-gradient", "false")), MetaTrainingListener.NONE));
        assertTrue(e.getMessage().contains("current-gradient"), e.getMessage());
    }
}
