package org.l2o.lopt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.DataFormatException;
import org.l2o.api.Seeds;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.Provenance;
import org.l2o.api.objective.Objective;
import org.l2o.api.testkit.CoordinatewisePolicyContract;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.api.testkit.TestObjectives;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.UpdateRule;
import org.l2o.policies.classic.AdagradProvider;
import org.l2o.policies.classic.AdamProvider;
import org.l2o.policies.classic.MomentumProvider;

class MlpLoptTest {

    static final MlpLoptProvider MLP = new MlpLoptProvider();

    /** Small features: 2 decays give 8 normalised channels, 3 time scales, so 11 inputs. */
    static final Map<String, String> SMALL_FEATURES = Map.of("decays", "0.5,0.9", "timescales", "1,10,100");

    static FeatureMap smallFeatures() {
        return LoptFeaturesTest.features(SMALL_FEATURES);
    }

    static Map<String, String> small(String... more) {
        Map<String, String> p = new HashMap<>(Map.of("hidden", "6,5", "inputs", "11", "time-features", "3"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    /**
     * The policy contract on inputs as {@code lopt} gives them: the time channels (the last
     * {@code time-features} of the network's inputs) hold one value per step for every coordinate,
     * which the step reads once per group.
     */
    abstract static class LoptContract extends CoordinatewisePolicyContract {
        @Override
        protected CoordinatewisePolicyProvider provider() {
            return MLP;
        }

        @Override
        protected double[] inputs(java.util.random.RandomGenerator r, int coordinates, int size, double scale) {
            double[] in = super.inputs(r, coordinates, size, scale);
            int inputs = Integer.parseInt(parameters().get("inputs"));
            int time = Integer.parseInt(parameters().get("time-features"));
            for (int c = inputs - time; c < inputs; c++) {
                java.util.Arrays.fill(in, c * coordinates, (c + 1) * coordinates, in[c * coordinates]);
            }
            return in;
        }
    }

    @Nested
    class Contract extends LoptContract {

        @Override
        protected Map<String, String> parameters() {
            return small();
        }

        @Override
        protected Optional<FeatureMap> features() {
            return Optional.of(smallFeatures());
        }
    }

    /** The VeLO and Celo2 variants: parameter-scaled, tensor-normalised output, Adam as the nominal term. */
    @Nested
    class NormalisedContract extends LoptContract {

        @Override
        protected Map<String, String> parameters() {
            return small("normalise-output", "true", "parameter-scale", "true", "nominal", "adam");
        }

        @Override
        protected Optional<FeatureMap> features() {
            return Optional.of(smallFeatures());
        }
    }

    /** Heavy-ball momentum as the nominal term (the 2016 problems' best tuned baseline). */
    @Nested
    class MomentumContract extends LoptContract {

        @Override
        protected Map<String, String> parameters() {
            return small("nominal", "momentum");
        }

        @Override
        protected Optional<FeatureMap> features() {
            Map<String, String> f = new HashMap<>(SMALL_FEATURES);
            f.put("nominal-momentum", "0.5");
            return Optional.of(LoptFeaturesTest.features(f));
        }
    }

    /** The ablation rows' class: unnormalised inputs and no time features (the schedule is one constant). */
    @Nested
    class AblatedContract extends LoptContract {

        @Override
        protected Map<String, String> parameters() {
            return small("inputs", "8", "time-features", "0");
        }

        @Override
        protected Optional<FeatureMap> features() {
            return Optional.of(LoptFeaturesTest.features(Map.of("decays", "0.5,0.9", "timescales", "none",
                    "normalise", "false")));
        }
    }

    @Test
    void providersAreDeclared() {
        ServiceDeclarations.assertAgree(MlpLoptProvider.class);
    }

    static LearnedOptimizer learned(CoordinatewisePolicy p, Map<String, String> parameters) {
        return new LearnedOptimizer("mlp-lopt", MLP.configure(parameters).text(), "lopt", Map.of(), 26, 1,
                Map.of("parameters", p.parameters()), new Provenance("test", Map.of(), "test", Map.of(), 1, 1, 0, "dev",
                        "17", java.time.Instant.EPOCH));
    }

    static double[] run(UpdateRule rule, Objective f, int steps) {
        return Rollout.run(f, rule, f.initialPoint(Seeds.generator(1)), steps, Seeds.generator(2)).finalPoint()
                .toDoubleVector();
    }

    /** With the output layer and schedule at zero, a fresh optimizer is its nominal baseline. */
    @Test
    void aFreshOptimizerIsItsNominalBaseline() {
        Objective f = TestObjectives.quadratic(7, 20, 5);
        for (String nominal : new String[] {"adagrad", "adam", "momentum"}) {
            Map<String, String> p = Map.of("nominal", nominal, "nominal-lr", "0.05");
            FeatureMap features = LoptFeaturesTest.features(nominal.equals("momentum")
                    ? Map.of("nominal-momentum", "0.7") : Map.of());
            CoordinatewisePolicy fresh = MLP.create(MLP.configure(p), Seeds.generator(4));
            UpdateRule learned = MLP.rule("fresh", learned(fresh, p), Optional.of(features));
            UpdateRule baseline = switch (nominal) {
                case "adagrad" -> new AdagradProvider().create(new AdagradProvider().configure(Map.of("lr", "0.05")),
                        CreationContext.defaults());
                case "adam" -> new AdamProvider().create(new AdamProvider().configure(Map.of("lr", "0.05")),
                        CreationContext.defaults());
                default -> new MomentumProvider().create(new MomentumProvider().configure(Map.of("lr", "0.05",
                        "momentum", "0.7")), CreationContext.defaults());
            };
            double[] a = run(learned, f, 30);
            double[] b = run(baseline, f, 30);
            for (int j = 0; j < a.length; j++) {
                assertEquals(b[j], a[j], 1e-12 * Math.max(1, Math.abs(b[j])), nominal + " coordinate " + j);
            }
        }
    }

    /** The learned part moves the optimizer away from its baseline once its output layer is not zero. */
    @Test
    void theLearnedPartChangesTheStep() {
        Objective f = TestObjectives.quadratic(7, 20, 5);
        FeatureMap features = LoptFeaturesTest.features(Map.of());
        Map<String, String> p = Map.of();
        CoordinatewisePolicy fresh = MLP.create(MLP.configure(p), Seeds.generator(4));
        double[] w = fresh.parameters().toDoubleVector();
        w[w.length - 1] = 50; // bias of m: larger learned steps
        w[w.length - 2] = 1; // bias of d
        CoordinatewisePolicy moved = fresh.withParameters(org.nd4j.linalg.factory.Nd4j.createFromArray(w));
        double[] a = run(MLP.rule("a", learned(fresh, p), Optional.of(features)), f, 5);
        double[] b = run(MLP.rule("b", learned(moved, p), Optional.of(features)), f, 5);
        double diff = 0;
        for (int j = 0; j < a.length; j++) {
            diff += Math.abs(a[j] - b[j]);
        }
        assertTrue(diff > 1e-4, "the learned term did not move the iterate: " + diff);
    }

    /** A learned rule's state (the feature history) is flat: saved mid-run and loaded, it continues exactly. */
    @Test
    void aLearnedRulesStateIsFlatAndContinuesExactlyAfterALoad() {
        Map<String, String> p = Map.of();
        CoordinatewisePolicy fresh = MLP.create(MLP.configure(p), Seeds.generator(4));
        double[] w = fresh.parameters().toDoubleVector();
        w[w.length - 1] = 5;
        w[w.length - 2] = 1;
        CoordinatewisePolicy moved = fresh.withParameters(org.nd4j.linalg.factory.Nd4j.createFromArray(w));
        var rule = org.junit.jupiter.api.Assertions.assertInstanceOf(org.l2o.api.update.FlatStateRule.class,
                MLP.rule("moved", learned(moved, p), Optional.of(LoptFeaturesTest.features(Map.of()))));
        var layout = LoptFeaturesTest.LAYOUT;
        long bound = 0;
        for (var g : layout.groups()) {
            bound += rule.stateLength(g.size());
        }
        long length = rule.stateLength(layout);
        assertTrue(length > layout.dimension() && length <= bound, length + " against the per-group bound " + bound);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        double[] x = random.doubles(layout.dimension()).toArray();
        org.l2o.api.update.RuleState state = rule.init(layout);
        org.l2o.api.update.RuleState restored = null;
        for (int t = 0; t < 12; t++) {
            double[] g = random.doubles(layout.dimension(), -1, 1).toArray();
            var o = LoptFeaturesTest.observation(t, x, g);
            var a = rule.step(o, state);
            if (restored != null) {
                assertArrayEquals(a.dx().toDoubleVector(), rule.step(o, restored).dx().toDoubleVector(), 0.0,
                        "step " + t);
                restored = rule.step(o, restored).next();
            }
            state = a.next();
            if (t == 5) {
                double[] saved = new double[(int) length];
                rule.save(state, layout, saved);
                restored = rule.load(layout, saved);
            }
            double[] dx = a.dx().toDoubleVector();
            for (int i = 0; i < x.length; i++) {
                x[i] += dx[i];
            }
        }
    }

    @Test
    void theScheduleAloneHasOnlyItsOwnParameters() {
        CoordinatewisePolicy s = MLP.create(MLP.configure(Map.of("per-coordinate", "false")), Seeds.generator(1));
        assertEquals(13, s.parameters().length(), "11 time weights, a constant and the vector offset");
        CoordinatewisePolicy none = MLP.create(MLP.configure(Map.of("nominal", "none")), Seeds.generator(1));
        assertEquals(23 * 32 + 32 + 32 * 32 + 32 + 32 * 2 + 2, none.parameters().length());
    }

    @Test
    void mismatchedFeaturesAreRefusedWithTheReason() {
        Map<String, String> p = Map.of();
        CoordinatewisePolicy fresh = MLP.create(MLP.configure(p), Seeds.generator(4));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> MLP.rule("x", learned(fresh, p), Optional.of(smallFeatures())));
        assertTrue(e.getMessage().contains("channels"), e.getMessage());
        DataFormatException d = assertThrows(DataFormatException.class,
                () -> MLP.rule("x", learned(fresh, p), Optional.empty()));
        assertTrue(d.getMessage().contains("lopt"), d.getMessage());
        assertThrows(DataFormatException.class, () -> MLP.restore(MLP.configure(p),
                org.nd4j.linalg.factory.Nd4j.createFromArray(new double[5])));
        // the heavy-ball direction and the momentum nominal term come together
        Map<String, String> heavy = Map.of("nominal", "momentum");
        CoordinatewisePolicy momentum = MLP.create(MLP.configure(heavy), Seeds.generator(4));
        e = assertThrows(ConfigurationException.class, () -> MLP.rule("x", learned(momentum, heavy),
                Optional.of(LoptFeaturesTest.features(Map.of()))));
        assertTrue(e.getMessage().contains("raw.momentum") && e.getMessage().contains("nominal-momentum"),
                e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> MLP.rule("x", learned(fresh, p),
                Optional.of(LoptFeaturesTest.features(Map.of("nominal-momentum", "0.5")))));
        assertTrue(e.getMessage().contains("only nominal=momentum"), e.getMessage());
    }

    @Test
    void creationIsSeeded() {
        assertArrayEquals(MLP.create(MLP.configure(Map.of()), Seeds.generator(9)).parameters().toDoubleVector(),
                MLP.create(MLP.configure(Map.of()), Seeds.generator(9)).parameters().toDoubleVector(), 0.0);
    }
}
