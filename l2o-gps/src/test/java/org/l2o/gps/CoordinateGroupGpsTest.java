package org.l2o.gps;

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
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.testkit.ProviderContract;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.objectives.synthetic.LogisticRegressionProvider;
import org.l2o.objectives.synthetic.NeuralNetClassifierProvider;
import org.l2o.policies.learned.History2016Provider;
import org.l2o.policies.learned.Lm2017Provider;
import org.l2o.policies.learned.LstmPolicyProvider;

class CoordinateGroupGpsTest {

    static final CoordinateGroupGpsProvider PROVIDER = new CoordinateGroupGpsProvider();

    @Nested
    class Contract extends ProviderContract<MetaTrainerProvider> {
        @Override
        protected MetaTrainerProvider provider() {
            return PROVIDER;
        }
    }

    @Nested
    class Trainer extends org.l2o.api.testkit.MetaTrainerContract {
        @Override
        protected boolean remoteRollouts() {
            return true;
        }

        @Override
        protected MetaTrainerProvider provider() {
            return PROVIDER;
        }

        /** The small budget with shorter regressions: the contract runs the trainer a dozen times. */
        @Override
        protected Map<String, String> parameters(int iterations) {
            Map<String, String> m = small(iterations);
            m.put("policy-iterations-first", "400");
            m.put("policy-iterations", "100");
            return m;
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            return CoordinateGroupGpsTest.request(GuidedPolicySearchTest.family(new NeuralNetClassifierProvider(),
                    Map.of()), resume, new Lm2017Provider());
        }

        @Override
        protected org.l2o.api.update.UpdateRule untrained(MetaTrainingRequest request) {
            var pp = (CoordinatewisePolicyProvider) request.policy().provider();
            return new org.l2o.kernels.CoordinatewiseRule("untrained", pp.create(request.policy().config(),
                    org.l2o.api.Seeds.generator(request.seed(), "contract-untrained", 0)),
                    (org.l2o.api.update.CoordinatewiseInputs) request.features().map());
        }
    }

    /**
     * The 2016 trainer's step adaptation on the 2017 trainer (issue 16): the whole contract (exact
     * resume included, so the multipliers and Laplace estimates survive the checkpoint), with a
     * starting KL step twice the default that the rule may shrink.
     */
    @Nested
    class LaplaceSteps extends Trainer {
        @Override
        protected Map<String, String> parameters(int iterations) {
            Map<String, String> m = super.parameters(iterations);
            m.put("step-adaptation", "laplace");
            m.put("kl-step", "0.4");
            return m;
        }

        @Test
        void theStepMultiplierMovesAfterTheFirstIteration() {
            GuidedPolicySearchTest.Capture capture = new GuidedPolicySearchTest.Capture();
            train(parameters(3), Optional.empty(), capture);
            assertEquals(1.0, capture.metrics.get(0).get("step_mult"), 0.0, "no estimate to compare with yet");
            assertTrue(capture.metrics.stream().skip(1).anyMatch(m -> m.get("step_mult") != 1.0),
                    "the multipliers never moved: " + capture.metrics);
            assertTrue(capture.metrics.stream().allMatch(m -> m.get("step_mult") >= 0.01 && m.get("step_mult") <= 1.0),
                    capture.metrics.toString());
        }

        @Test
        void boundsThatCrossAreRefused() {
            Map<String, String> p = parameters(1);
            p.put("min-step-mult", "2");
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> PROVIDER.create(PROVIDER.configure(p), CreationContext.defaults()));
            assertTrue(e.getMessage().contains("min-step-mult"), e.getMessage());
        }
    }

    /**
     * The new policy class on the same trainer (issue 16): {@code mlp-lopt} on {@code lopt} features,
     * its GPS state the feature map's channels and its initial controllers AdaGrad at {@code init-lr}
     * (the untrained policy is AdaGrad at the smaller nominal step). The whole contract: determinism,
     * threads, remote sampling, exact resume and improvement on held-out nets.
     */
    @Nested
    class LoptPolicy extends Trainer {
        static final org.l2o.lopt.MlpLoptProvider MLP = new org.l2o.lopt.MlpLoptProvider();
        static final org.l2o.lopt.LoptFeaturesProvider LOPT = new org.l2o.lopt.LoptFeaturesProvider();

        @Override
        protected Map<String, String> parameters(int iterations) {
            Map<String, String> m = super.parameters(iterations);
            m.put("init-lr", "0.05");
            return m;
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            return loptRequest(resume, Map.of());
        }

        static MetaTrainingRequest loptRequest(Optional<byte[]> resume, Map<String, String> policy) {
            return loptRequest(GuidedPolicySearchTest.family(new NeuralNetClassifierProvider(), Map.of()), resume,
                    policy);
        }

        static MetaTrainingRequest loptRequest(ObjectiveFamily family, Optional<byte[]> resume,
                                               Map<String, String> policy) {
            var fc = LOPT.configure(Map.of("decays", "0.5,0.9", "timescales", "1,10,100"));
            Map<String, String> pp = new HashMap<>(Map.of("hidden", "8", "inputs", "11", "time-features", "3",
                    "nominal-lr", "0.01"));
            pp.putAll(policy);
            return new MetaTrainingRequest(family, family.id(), Map.of(), 2, 20, 3,
                    new MetaTrainingRequest.PolicyClass("mlp-lopt", MLP, MLP.configure(pp)),
                    new MetaTrainingRequest.Features("lopt", fc, LOPT.create(fc, CreationContext.defaults())), resume);
        }

        @Test
        void theInitialControllersFollowTheNamedInputAndAnUnknownOneIsNamed() {
            GuidedPolicySearchTest.Capture capture = new GuidedPolicySearchTest.Capture();
            trainLopt(parameters(1), capture);
            assertTrue(capture.messages.stream().anyMatch(m -> m.contains("x raw.adagrad") && m.contains("step = -0.05")),
                    capture.messages.toString());
            Map<String, String> p = parameters(1);
            p.put("init-input", "psi1");
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> trainLopt(p,
                    new GuidedPolicySearchTest.Capture()));
            assertTrue(e.getMessage().contains("init-input 'psi1'") && e.getMessage().contains("raw.adam"),
                    e.getMessage());
        }

        private static MetaTrainingResult trainLopt(Map<String, String> params, MetaTrainingListener listener) {
            return PROVIDER.create(PROVIDER.configure(params), CreationContext.defaults())
                    .train(loptRequest(Optional.empty(), Map.of()), listener);
        }

        /** The controllers act on the channels on a common scale and the one they start from; the policy reads all. */
        @Test
        void theGpsStateIsTheNormalisedChannelsAndTheInitialInput() {
            var map = (org.l2o.api.update.CoordinatewiseInputs) loptRequest(Optional.empty(), Map.of()).features().map();
            GroupStates states = new GroupStates.Inputs(map);
            int initial = states.initialInput("auto");
            assertEquals("raw.adagrad", map.channels().get(initial));
            assertEquals(java.util.List.of("g", "p", "momentum@0.5", "momentum@0.9", "second-moment",
                    "momentum@0.5/sqrt(v)", "momentum@0.9/sqrt(v)", "1/sqrt(v)", "raw.adagrad"),
                    java.util.Arrays.stream(states.control(initial)).mapToObj(r -> map.channels().get(r)).toList());
            assertEquals(map.size(), states.policyInputs());
            assertEquals("raw.adam", map.channels().get(states.initialInput("raw.adam")));
            // with a heavy-ball nominal term the initial controllers are the tuned momentum rule
            var heavy = (org.l2o.api.update.CoordinatewiseInputs) LOPT.create(LOPT.configure(Map.of("decays", "0.5,0.9",
                    "timescales", "1,10,100", "nominal-momentum", "0.5")), CreationContext.defaults());
            GroupStates heavyStates = new GroupStates.Inputs(heavy);
            int ball = heavyStates.initialInput("auto");
            assertEquals("raw.momentum", heavy.channels().get(ball));
            assertEquals("raw.momentum", heavy.channels().get(heavyStates.control(ball)[heavyStates.control(ball).length - 1]));
        }

        @Test
        void aPolicyReadingOtherInputsThanTheFeaturesGiveIsRefused() {
            MetaTrainingRequest r = loptRequest(Optional.empty(), Map.of("inputs", "10"));
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> PROVIDER.create(PROVIDER.configure(parameters(1)), CreationContext.defaults()).train(r,
                            new GuidedPolicySearchTest.Capture()));
            assertTrue(e.getMessage().contains("lopt"), e.getMessage());
        }
    }

    /**
     * Conditions whose layouts differ (issue 16: a task family's nets of other depths and widths as
     * conditions): each draw is a one-hidden-layer net of 2 or 3 units (4 groups) or a logistic
     * regression (2 groups). The whole contract on {@code mlp-lopt}, as {@link LoptPolicy} runs it:
     * determinism, threads, remote sampling, exact resume and improvement on held-out objectives.
     */
    @Nested
    class RaggedLayouts extends LoptPolicy {
        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            return LoptPolicy.loptRequest(mixed(), resume, Map.of());
        }

        /** The contract above would pass on equal layouts too: the request's conditions differ in groups. */
        @Test
        void theConditionsDifferInTheirCoordinateGroups() {
            MetaTrainingRequest r = request(Optional.empty());
            java.util.Set<org.l2o.api.objective.ParameterLayout> layouts = new java.util.HashSet<>();
            java.util.Set<Integer> groups = new java.util.HashSet<>();
            for (int i = 0; i < r.trainObjectives(); i++) {
                var layout = r.family().train(r.seed(), i).layout();
                layouts.add(layout);
                groups.add(layout.groups().size());
            }
            assertEquals(r.trainObjectives(), layouts.size(), "conditions of one layout: " + layouts);
            assertEquals(r.trainObjectives(), groups.size(), "conditions with as many groups: " + layouts);
        }

        private static ObjectiveFamily mixed() {
            List<ObjectiveFamily> parts = List.of(
                    GuidedPolicySearchTest.family(new NeuralNetClassifierProvider(), Map.of()),
                    GuidedPolicySearchTest.family(new LogisticRegressionProvider(), Map.of()),
                    GuidedPolicySearchTest.family(new NeuralNetClassifierProvider(), Map.of("hidden", "3")));
            return new ObjectiveFamily() {
                @Override
                public String id() {
                    return "mixed";
                }

                @Override
                public org.l2o.api.objective.Objective sample(java.util.random.RandomGenerator random) {
                    return parts.get(random.nextInt(parts.size())).sample(random);
                }
            };
        }
    }

    static MetaTrainingRequest request(ObjectiveFamily family, Optional<byte[]> resume, FeatureMapProvider fp) {
        CoordinatewisePolicyProvider pp = new LstmPolicyProvider();
        var fc = fp.configure(Map.of());
        return new MetaTrainingRequest(family, family.id(), Map.of(), 2, 20, 3,
                new MetaTrainingRequest.PolicyClass("lstm-coordinatewise", pp, pp.configure(Map.of("layers", "8",
                        "preprocess", "none", "inputs", "3", "networks", "per-group", "output-scale", "0.1"))),
                new MetaTrainingRequest.Features(fp.id(), fc, fp.create(fc, CreationContext.defaults())), resume);
    }

    static Map<String, String> small(int iterations) {
        Map<String, String> m = new HashMap<>(Map.of("iterations", Integer.toString(iterations), "samples", "3", "history", "2",
                "stride", "2", "coordinates", "6", "policy-iterations-first", "1500", "policy-iterations", "150",
                "policy-batch", "16", "validation-objectives", "1", "init-lr", "1"));
        m.put("init-noise", "0.3");
        return m;
    }

    static MetaTrainingResult train(Map<String, String> params, Optional<byte[]> resume,
                                    GuidedPolicySearchTest.Capture listener) {
        ObjectiveFamily f = GuidedPolicySearchTest.family(new NeuralNetClassifierProvider(), Map.of());
        return PROVIDER.create(PROVIDER.configure(params), CreationContext.defaults())
                .train(request(f, resume, new Lm2017Provider()), listener);
    }

    /** Determinism and resumption are checked by the contract ({@link Trainer}); here, GPS's own progress. */
    @Test
    void improvesOnItsStartAndReportsWhatItLearned() {
        GuidedPolicySearchTest.Capture c = new GuidedPolicySearchTest.Capture();
        MetaTrainingResult full = train(small(4), Optional.empty(), c);
        assertEquals(4, c.checkpoints.size());
        assertEquals(4 * 2 * 3 * 20, c.samples);
        for (Map<String, Double> m : c.metrics) {
            assertTrue(Double.isFinite(m.get("sample_cost")) && m.get("kl") > 0 && Double.isFinite(m.get("policy_cost")),
                    m.toString());
        }
        // GPS improves the policy: its held-out cost falls below that of the first fit to the initial
        // (gradient-descent) controllers
        double start = c.metrics.get(0).get("validation_cost");
        double last = c.metrics.get(3).get("validation_cost");
        assertTrue(last < 0.97 * start, "validation cost " + start + " -> " + last);
        assertEquals(3.0, c.metrics.get(3).get("best_iteration"));
        LearnedOptimizer lo = full.optimizer();
        assertEquals("gps-groups", lo.provenance().trainer());
        assertEquals("lm2017", lo.featureMap());
        assertEquals(3, lo.inputSize());
        assertEquals(12, lo.actionSize());
        assertTrue(lo.policyParameters().get("input-scale").split(",").length == 3, lo.policyParameters().toString());
    }

    @Test
    void rejectsFeatureMapsWithoutPerCoordinateInputs() {
        ObjectiveFamily f = GuidedPolicySearchTest.family(new NeuralNetClassifierProvider(), Map.of());
        var e = assertThrows(ConfigurationException.class, () -> PROVIDER.create(PROVIDER.configure(small(1)),
                CreationContext.defaults()).train(request(f, Optional.empty(), new History2016Provider()),
                MetaTrainingListener.NONE));
        assertTrue(e.getMessage().contains("lm2017"), e.getMessage());
    }
}
