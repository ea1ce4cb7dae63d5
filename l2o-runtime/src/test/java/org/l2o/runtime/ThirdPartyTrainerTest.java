package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginProvider;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.testkit.MetaTrainerContract;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.PolicyClassProvider;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.io.LearnedOptimizerFile;

/**
 * The guide's example meta-trainer, added as a third party adds one: checked by the contract kit,
 * then registered and run through {@code l2o train} and {@code l2o evaluate} with no change to
 * any l2o module.
 */
class ThirdPartyTrainerTest {

    @TempDir
    Path tmp;

    @Nested
    class Contract extends MetaTrainerContract {
        @Override
        protected MetaTrainerProvider provider() {
            return new RandomSearchProvider();
        }

        @Override
        protected Map<String, String> parameters(int iterations) {
            return Map.of("iterations", Integer.toString(iterations), "sigma", "0.3");
        }

        @Override
        protected MetaTrainingRequest request(Optional<byte[]> resume) {
            PluginRegistry registry = Cli.PLUGINS;
            var objective = registry.objective("quadratic");
            var family = objective.create(objective.configure(Map.of("dimension", "4")), CreationContext.defaults());
            PolicyClassProvider policy = registry.policyClass("lstm-coordinatewise");
            FeatureMapProvider features = registry.get(FeatureMapProvider.class, "lm2016");
            var fc = features.configure(Map.of());
            return new MetaTrainingRequest(family, "quadratic", Map.of("dimension", "4"), 4, 10, 5,
                    new MetaTrainingRequest.PolicyClass(policy.id(), policy, policy.configure(Map.of("layers", "8",
                            "preprocess", "none", "output-scale", "0.1"))),
                    new MetaTrainingRequest.Features("lm2016", fc, features.create(fc, CreationContext.defaults())),
                    resume);
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
        protected UpdateRule untrained(MetaTrainingRequest request) {
            var policies = (CoordinatewisePolicyProvider) request.policy().provider();
            var net = policies.create(request.policy().config(),
                    org.l2o.api.Seeds.generator(request.seed(), "random-search-init", 0));
            return new org.l2o.kernels.CoordinatewiseRule("untrained", net);
        }
    }

    @Test
    void registeredExplicitlyItTrainsThroughTheCliAndItsFileEvaluates() {
        List<PluginProvider> plugins = new ArrayList<>(PluginRegistry.discover().all());
        plugins.add(new RandomSearchProvider());
        PluginRegistry registry = PluginRegistry.of(plugins);
        Path model = tmp.resolve("rs.l2o");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"train", "--trainer", "random-search", "--objective", "quadratic",
            "--param", "dimension=4", "--train-objectives", "4", "--steps", "10", "--iterations", "3", "--quiet",
            "--no-samples", "--out", model.toString()}, Map.of(), new PrintWriter(new StringWriter()),
                new PrintWriter(err), registry);
        assertEquals(0, code, err.toString());
        LearnedOptimizer lo = LearnedOptimizerFile.read(model);
        assertEquals("random-search", lo.provenance().trainer());
        assertEquals("lstm-coordinatewise", lo.policyClass());
        code = Main.run(new String[] {"evaluate", "--objective", "quadratic", "--param", "dimension=7", "--optimizer",
            "learned:" + model, "--steps", "10", "--quiet", "--out", tmp.resolve("eval").toString()}, Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(err), registry);
        assertEquals(0, code, err.toString());
        // a trainer that needs a capability the policy lacks is refused before any work
        StringWriter refused = new StringWriter();
        code = Main.run(new String[] {"train", "--trainer", "random-search", "--policy", "mlp", "--objective",
            "quadratic", "--quiet", "--out", tmp.resolve("x.l2o").toString()}, Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(refused), registry);
        assertEquals(2, code);
        assertTrue(refused.toString().contains("needs a policy that is coordinatewise"), refused.toString());
    }
}
