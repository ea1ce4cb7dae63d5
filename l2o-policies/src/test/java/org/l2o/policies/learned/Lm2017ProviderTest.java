package org.l2o.policies.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.DenseVectors;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.testkit.ProviderContract;
import org.l2o.api.testkit.TestObjectives;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.kernels.CoordinatewiseRule;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.FeatureState;
import org.l2o.kernels.Lm2017History;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.UpdateRule;

class Lm2017ProviderTest {

    @Nested
    class ObservationContract extends org.l2o.api.testkit.FeatureMapContract {
        @Override
        protected FeatureMapProvider provider() {
            return new Lm2017Provider();
        }
    }

    @Nested
    class StateContract extends org.l2o.api.testkit.FeatureMapContract {
        @Override
        protected FeatureMapProvider provider() {
            return new Lm2017StateProvider();
        }
    }

    static Observation observation(int t, double[] x, double value, double[] g, Objective f) {
        return new Observation(t, DenseVectors.of(x), value, DenseVectors.of(g), TestObjectives.oracle(f));
    }

    @Test
    void featureMapsFollowTheHistoryAndKeepOldStates() {
        Objective f = TestObjectives.quadratic(3, 10, 1);
        ParameterLayout layout = f.layout();
        FeatureMapProvider sp = new Lm2017StateProvider();
        FeatureMap states = sp.create(sp.configure(Map.of("history", "2", "stride", "3")), CreationContext.defaults());
        FeatureMap obs = new Lm2017Provider().create(new Lm2017Provider().configure(Map.of()), CreationContext.defaults());
        assertEquals(9, obs.size(layout));
        assertEquals(21, states.size(layout));
        Lm2017History h = new Lm2017History(3, 2, 3, true);
        FeatureState so = obs.init(layout);
        FeatureState ss = states.init(layout);
        FeatureState first = null;
        double[] firstPsi = null;
        for (int t = 0; t < 12; t++) {
            double[] x = {t, -t * 0.5, 1.0 / (t + 1)};
            double[] g = {Math.sin(t), Math.cos(t), t * 0.1};
            Observation o = observation(t, x, 10 - t * 0.3, g, f);
            h.push(o.value(), g, x);
            so = obs.push(so, o);
            ss = states.push(ss, o);
            double[] phi = new double[21];
            h.state(phi, 0);
            assertArrayEquals(h.observation(), obs.features(so).toDoubleVector(), 0.0);
            assertArrayEquals(phi, states.features(ss).toDoubleVector(), 0.0);
            if (t == 0) {
                first = so;
                firstPsi = obs.features(so).toDoubleVector();
            }
        }
        // pushing returns new states: the first one still describes step 0
        assertArrayEquals(firstPsi, obs.features(first).toDoubleVector(), 0.0);
    }

    /** The 2017 learned optimizer: its in-place run equals its immutable run bit for bit. */
    @Test
    void coordinatewiseRuleOnObservationFeaturesRunsTheSameInPlaceAndImmutably() {
        LstmPolicyProvider lp = new LstmPolicyProvider();
        CoordinatewisePolicy net = lp.create(lp.configure(Map.of("layers", "8", "preprocess", "none", "inputs", "3",
                "output-scale", "0.05")), Seeds.generator(3));
        Lm2017Provider.Observations inputs = new Lm2017Provider.Observations();
        CoordinatewiseRule rule = new CoordinatewiseRule("learned", net, inputs);
        UpdateRule immutable = new UpdateRule() {
            @Override
            public String spec() {
                return "learned";
            }

            @Override
            public RuleState init(ParameterLayout layout) {
                return rule.init(layout);
            }

            @Override
            public Step step(Observation o, RuleState s) {
                return rule.step(o, s);
            }
        };
        Objective f = TestObjectives.quadratic(5, 10, 2);
        var x0 = f.initialPoint(Seeds.generator(4));
        Rollout.Result a = Rollout.run(f, rule, x0, 30, Seeds.generator(1));
        Rollout.Result b = Rollout.run(f, immutable, x0, 30, Seeds.generator(1));
        assertArrayEquals(a.values(), b.values(), 0.0);
        assertTrue(a.values()[30] != a.values()[0], "the learned rule moves the iterate");
        var e = assertThrows(ConfigurationException.class, () -> new CoordinatewiseRule("learned", net));
        assertTrue(e.getMessage().contains("3 inputs"), e.getMessage());
    }
}
