package org.l2o.bptt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.testkit.ProviderContract;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.kernels.CoordinatewiseRule;
import org.l2o.api.update.Rollout;
import org.l2o.objectives.synthetic.QuadraticProvider;
import org.l2o.policies.learned.History2016Provider;
import org.l2o.policies.learned.LstmPolicyProvider;
import org.l2o.policies.learned.MlpPolicyProvider;

class TruncatedBpttTest {

    static final BpttProvider BPTT = new BpttProvider();
    static final LstmPolicyProvider LSTM = new LstmPolicyProvider();

    @Nested
    class Contract extends ProviderContract<MetaTrainerProvider> {
        @Override
        protected MetaTrainerProvider provider() {
            return BPTT;
        }
    }

    @Nested
    class Trainer extends org.l2o.api.testkit.MetaTrainerContract {
        @Override
        protected MetaTrainerProvider provider() {
            return BPTT;
        }

        @Override
        protected Map<String, String> parameters(int iterations) {
            return Map.of("iterations", Integer.toString(iterations), "epochs-per-iteration", "15", "unroll", "5",
                    "lr", "0.01", "validation-objectives", "5");
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            return TruncatedBpttTest.request(resume);
        }

        @Override
        protected org.l2o.api.update.UpdateRule untrained(MetaTrainingRequest request) {
            return new CoordinatewiseRule("untrained", LSTM.create(request.policy().config(),
                    Seeds.generator(request.seed(), "bptt-init", 0)));
        }
    }

    /**
     * The modern per-coordinate learned optimizer ({@code mlp-lopt} on {@code lopt} features), which
     * issue 16 trains with every trainer; its nominal AdaGrad starts at a step size too small for the
     * family, so meta-training has something to find.
     */
    @Nested
    class LoptPolicy extends org.l2o.api.testkit.MetaTrainerContract {
        static final org.l2o.lopt.MlpLoptProvider MLP = new org.l2o.lopt.MlpLoptProvider();
        static final org.l2o.lopt.LoptFeaturesProvider LOPT = new org.l2o.lopt.LoptFeaturesProvider();

        @Override
        protected MetaTrainerProvider provider() {
            return BPTT;
        }

        @Override
        protected Map<String, String> parameters(int iterations) {
            return Map.of("iterations", Integer.toString(iterations), "epochs-per-iteration", "10", "unroll", "5",
                    "lr", "0.01", "validation-objectives", "5");
        }

        @Override
        protected int improvementIterations() {
            return 6;
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            var fc = LOPT.configure(Map.of("decays", "0.5,0.9", "timescales", "1,10,100"));
            var pc = MLP.configure(Map.of("hidden", "8", "inputs", "11", "time-features", "3", "nominal-lr", "0.02"));
            return new MetaTrainingRequest(quadratics(), "quadratic", Map.of(), 20, 20, 7,
                    new MetaTrainingRequest.PolicyClass("mlp-lopt", MLP, pc),
                    new MetaTrainingRequest.Features("lopt", fc, LOPT.create(fc, CreationContext.defaults())), resume);
        }

        @Override
        protected org.l2o.api.update.UpdateRule untrained(MetaTrainingRequest request) {
            return new CoordinatewiseRule("untrained", MLP.create(request.policy().config(),
                    Seeds.generator(request.seed(), "bptt-init", 0)),
                    (org.l2o.api.update.CoordinatewiseInputs) request.features().map());
        }
    }

    static ObjectiveFamily quadratics() {
        var p = new QuadraticProvider();
        return p.create(p.configure(Map.of("dimension", "5", "condition", "4")), CreationContext.defaults());
    }

    static MetaTrainingRequest request(Optional<byte[]> resume) {
        var fp = new History2016Provider();
        var fc = fp.configure(Map.of());
        // the paper's quadratic setting uses no preprocessing and output scale 1
        var pc = LSTM.configure(Map.of("layers", "8", "preprocess", "none", "output-scale", "0.1"));
        return new MetaTrainingRequest(quadratics(), "quadratic", Map.of(), 20, 20, 7,
                new MetaTrainingRequest.PolicyClass("lstm-coordinatewise", LSTM, pc),
                new MetaTrainingRequest.Features("lm2016", fc, fp.create(fc, CreationContext.defaults())), resume);
    }

    static MetaTrainingResult train(int iterations, Optional<byte[]> resume, MetaTrainingListener l) {
        Map<String, String> p = new HashMap<>(Map.of("iterations", Integer.toString(iterations),
                "epochs-per-iteration", "15", "unroll", "5", "lr", "0.01", "validation-objectives", "5"));
        return BPTT.create(BPTT.configure(p), CreationContext.defaults()).train(request(resume), l);
    }

    static double meanCost(LearnedOptimizer lo, int steps) {
        var net = LSTM.restore(LSTM.configure(lo.policyParameters()), lo.weights().get("parameters"));
        var rule = new CoordinatewiseRule("x", net);
        var family = quadratics();
        double total = 0;
        for (int i = 0; i < 10; i++) {
            var f = family.test(7, i);
            var r = Rollout.run(f, rule, f.initialPoint(Seeds.generator(i)), steps, Seeds.generator(i));
            for (int t = 1; t <= steps; t++) {
                total += r.values()[t] / steps / 10;
            }
        }
        return total;
    }

    @Test
    void metaTrainingImprovesTheOptimizerOnUnseenQuadratics() {
        List<Map<String, Double>> metrics = new ArrayList<>();
        MetaTrainingResult r = train(4, Optional.empty(), new MetaTrainingListener() {
            @Override
            public void iteration(int i, int n, Map<String, Double> m) {
                metrics.add(m);
            }
        });
        var untrained = LSTM.create(LSTM.configure(r.optimizer().policyParameters()), Seeds.generator(7, "bptt-init", 0));
        LearnedOptimizer before = new LearnedOptimizer(r.optimizer().policyClass(), r.optimizer().policyParameters(),
                "none", Map.of(), 1, 5, Map.of("parameters", untrained.parameters()), r.optimizer().provenance());
        double costBefore = meanCost(before, 20);
        double costAfter = meanCost(r.optimizer(), 20);
        assertTrue(costAfter < 0.7 * costBefore, "test cost " + costBefore + " -> " + costAfter);
        assertEquals(4, metrics.size());
        assertEquals("bptt", r.optimizer().provenance().trainer());
    }

    @Test
    void refusesAPolicyOfTheWrongKind() {
        var mp = new MlpPolicyProvider();
        var fp = new History2016Provider();
        var fc = fp.configure(Map.of());
        var req = new MetaTrainingRequest(quadratics(), "quadratic", Map.of(), 2, 5, 1,
                new MetaTrainingRequest.PolicyClass("mlp", mp, mp.configure(Map.of())),
                new MetaTrainingRequest.Features("lm2016", fc, fp.create(fc, CreationContext.defaults())), Optional.empty());
        var e = assertThrows(ConfigurationException.class, () -> BPTT.create(BPTT.configure(Map.of()),
                CreationContext.defaults()).train(req, MetaTrainingListener.NONE));
        assertTrue(e.getMessage().contains("CoordinatewisePolicyProvider"), e.getMessage());
        ServiceDeclarations.assertAgree(BpttProvider.class);
    }
}
