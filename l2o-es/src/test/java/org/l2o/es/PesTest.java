package org.l2o.es;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.testkit.MetaTrainerContract;
import org.l2o.api.testkit.ProviderContract;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.PolicyClassProvider;
import org.l2o.api.update.UpdateRule;
import org.l2o.kernels.CoordinatewiseRule;
import org.l2o.lopt.LoptFeaturesProvider;
import org.l2o.lopt.MlpLoptProvider;
import org.l2o.objectives.synthetic.QuadraticProvider;
import org.l2o.policies.learned.History2016Provider;
import org.l2o.policies.learned.LstmPolicyProvider;

class PesTest {

    static final PesProvider PES = new PesProvider();
    static final MlpLoptProvider MLP = new MlpLoptProvider();
    static final LoptFeaturesProvider LOPT = new LoptFeaturesProvider();

    static ObjectiveFamily quadratics() {
        var p = new QuadraticProvider();
        return p.create(p.configure(Map.of("dimension", "5", "condition", "4")), CreationContext.defaults());
    }

    /** mlp-lopt on small lopt features, its nominal AdaGrad started at a step size too small for the family. */
    static MetaTrainingRequest request(Optional<byte[]> resume) {
        var fc = LOPT.configure(Map.of("decays", "0.5,0.9", "timescales", "1,10,100"));
        var pc = MLP.configure(Map.of("hidden", "8", "inputs", "11", "time-features", "3", "nominal-lr", "0.02"));
        return new MetaTrainingRequest(quadratics(), "quadratic", Map.of(), 1000, 20, 7,
                new MetaTrainingRequest.PolicyClass("mlp-lopt", MLP, pc),
                new MetaTrainingRequest.Features("lopt", fc, LOPT.create(fc, CreationContext.defaults())), resume);
    }

    static Map<String, String> parameters(int iterations, String... more) {
        Map<String, String> p = new HashMap<>(Map.of("iterations", Integer.toString(iterations), "pairs", "4",
                "truncation", "5", "min-length", "10", "max-length", "30", "validation-objectives", "3",
                "validate-every", "2", "lr", "0.05", "meta-loss", "mean"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    @Nested
    class Contract extends ProviderContract<MetaTrainerProvider> {
        @Override
        protected MetaTrainerProvider provider() {
            return PES;
        }
    }

    @Nested
    class Persistent extends MetaTrainerContract {
        @Override
        protected MetaTrainerProvider provider() {
            return PES;
        }

        @Override
        protected Map<String, String> parameters(int iterations) {
            return PesTest.parameters(iterations);
        }

        @Override
        protected int iterations() {
            return 3;
        }

        @Override
        protected int improvementIterations() {
            return 30;
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            return PesTest.request(resume);
        }

        @Override
        protected boolean remoteRollouts() {
            return true;
        }

        @Override
        protected UpdateRule untrained(MetaTrainingRequest request) {
            return new CoordinatewiseRule("untrained", MLP.create(request.policy().config(),
                    Seeds.generator(request.seed(), "pes-init", 0)),
                    (org.l2o.api.update.CoordinatewiseInputs) request.features().map());
        }
    }

    /** Plain ES over whole episodes, the comparison the PES paper makes. */
    @Nested
    class Plain extends MetaTrainerContract {
        @Override
        protected MetaTrainerProvider provider() {
            return PES;
        }

        @Override
        protected Map<String, String> parameters(int iterations) {
            return PesTest.parameters(iterations, "variant", "es", "max-length", "20", "min-length", "20");
        }

        @Override
        protected int improvementIterations() {
            return 30;
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            return PesTest.request(resume);
        }

        @Override
        protected boolean remoteRollouts() {
            return true;
        }

        @Override
        protected UpdateRule untrained(MetaTrainingRequest request) {
            return new Persistent().untrained(request);
        }
    }

    /** Plain ES with the fitness of the findings' recipe: path plus final loss, differences shaped. */
    @Nested
    class Shaped extends MetaTrainerContract {
        @Override
        protected MetaTrainerProvider provider() {
            return PES;
        }

        @Override
        protected Map<String, String> parameters(int iterations) {
            return PesTest.parameters(iterations, "variant", "es", "max-length", "20", "min-length", "10",
                    "meta-loss", "log-mean-final", "shaping", "std");
        }

        @Override
        protected int improvementIterations() {
            return 30;
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            return PesTest.request(resume);
        }

        @Override
        protected boolean remoteRollouts() {
            return true;
        }

        @Override
        protected UpdateRule untrained(MetaTrainingRequest request) {
            return new Persistent().untrained(request);
        }
    }

    @Test
    void shapingDividesByTheSpreadOfTheDifferences() {
        assertEquals(Math.sqrt(5), Pes.spread(new double[] {1, -3}), 1e-15);
        assertEquals(2, Pes.spread(new double[] {2, 2, -2, 2}), 1e-15);
        assertEquals(1, Pes.spread(new double[] {0, 0}), "all pairs tied: nothing to divide by");
        assertEquals(1, Pes.spread(new double[] {7}), "one pair has no spread");
    }

    /** Any coordinatewise policy class: the LSTM of Andrychowicz et al. reads the gradient, no features. */
    @Nested
    class RecurrentPolicy extends MetaTrainerContract {
        static final LstmPolicyProvider LSTM = new LstmPolicyProvider();

        @Override
        protected MetaTrainerProvider provider() {
            return PES;
        }

        @Override
        protected Map<String, String> parameters(int iterations) {
            return PesTest.parameters(iterations, "sigma", "0.01", "lr", "0.01");
        }

        @Override
        protected int improvementIterations() {
            return 30;
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            var fp = new History2016Provider();
            var fc = fp.configure(Map.of());
            var pc = LSTM.configure(Map.of("layers", "6", "preprocess", "none", "output-scale", "0.1"));
            return new MetaTrainingRequest(quadratics(), "quadratic", Map.of(), 1000, 20, 7,
                    new MetaTrainingRequest.PolicyClass("lstm-coordinatewise", LSTM, pc),
                    new MetaTrainingRequest.Features("lm2016", fc, fp.create(fc, CreationContext.defaults())), resume);
        }

        @Override
        protected boolean remoteRollouts() {
            return true;
        }

        @Override
        protected UpdateRule untrained(MetaTrainingRequest request) {
            return new CoordinatewiseRule("untrained", LSTM.create(request.policy().config(),
                    Seeds.generator(request.seed(), "pes-init", 0)));
        }
    }

    @Test
    void providersAreDeclared() {
        ServiceDeclarations.assertAgree(PesProvider.class);
    }

    @Test
    void validationScoresOnlyTheIterationsItRuns() {
        List<Double> scores = new java.util.ArrayList<>();
        List<Double> start = new java.util.ArrayList<>();
        MetaTrainingResult r = PES.create(PES.configure(parameters(5)), CreationContext.defaults())
                .train(request(Optional.empty()), new MetaTrainingListener() {
                    @Override
                    public void iteration(int i, int n, Map<String, Double> m) {
                        scores.add(m.get("validation_cost"));
                        if (m.containsKey("start_validation_cost")) {
                            start.add(m.get("start_validation_cost"));
                        }
                    }
                });
        assertEquals(5, scores.size());
        assertTrue(Double.isNaN(scores.get(0)) && Double.isFinite(scores.get(1)) && Double.isNaN(scores.get(2))
                && Double.isFinite(scores.get(3)) && Double.isFinite(scores.get(4)), scores.toString());
        assertEquals(1, start.size(), "the starting optimizer is validated once, at the first iteration");
        assertTrue(Double.isFinite(start.get(0)));
        assertEquals("lopt", r.optimizer().featureMap());
        assertEquals("mlp-lopt", r.optimizer().policyClass());
    }

    /** Meta-steps that only make the optimizer worse on validation: the starting optimizer is what comes back. */
    @Test
    void theStartingOptimizerIsKeptWhereNoCandidateValidatesBetter() {
        MetaTrainingResult r = PES.create(PES.configure(parameters(3, "lr", "50", "validate-every", "1")),
                CreationContext.defaults()).train(request(Optional.empty()), new MetaTrainingListener() { });
        assertEquals("0", r.optimizer().provenance().budget().get("kept_iteration"),
                r.optimizer().provenance().budget().toString());
        double[] start = MLP.create(request(Optional.empty()).policy().config(),
                Seeds.generator(7, "pes-init", 0)).parameters().toDoubleVector();
        assertArrayEquals(start, r.optimizer().weights().get("parameters").toDoubleVector(), 0.0);
        assertTrue(r.history().stream().allMatch(m -> m.get("best_iteration") == -2), r.history().toString());
        // with the recipe's step size the first candidate does beat it (the improvement the contract checks)
        MetaTrainingResult trained = PES.create(PES.configure(parameters(2, "validate-every", "1")),
                CreationContext.defaults()).train(request(Optional.empty()), new MetaTrainingListener() { });
        assertTrue(!"0".equals(trained.optimizer().provenance().budget().get("kept_iteration")),
                trained.optimizer().provenance().budget().toString());
    }

    @Test
    void inconsistentLengthsAreRefused() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> PES.create(
                PES.configure(parameters(2, "min-length", "50", "max-length", "10")), CreationContext.defaults()));
        assertTrue(e.getMessage().contains("min-length"), e.getMessage());
    }

    @Test
    void aPolicyThatReadsOtherInputsIsRefusedBeforeAnyWork() {
        var fp = new History2016Provider();
        var fc = fp.configure(Map.of());
        var pc = MLP.configure(Map.of());
        MetaTrainingRequest r = new MetaTrainingRequest(quadratics(), "quadratic", Map.of(), 10, 20, 7,
                new MetaTrainingRequest.PolicyClass("mlp-lopt", MLP, pc),
                new MetaTrainingRequest.Features("lm2016", fc, fp.create(fc, CreationContext.defaults())),
                Optional.empty());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> PES.create(PES.configure(parameters(1)), CreationContext.defaults()).train(r,
                        new MetaTrainingListener() { }));
        assertTrue(e.getMessage().contains("lm2016") && e.getMessage().contains("26"), e.getMessage());
    }
}
