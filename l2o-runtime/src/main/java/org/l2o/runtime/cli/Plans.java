package org.l2o.runtime.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.run.OptimizerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Validation shared by the commands: everything is checked before any work starts. */
final class Plans {

    private Plans() {
    }

    /** A validated objective: provider, configuration and context. */
    record ObjectivePlan(ObjectiveProvider provider, Config config, CreationContext context) {
        ObjectiveFamily create() {
            return provider.create(config, context);
        }
    }

    static ObjectivePlan objective(PluginRegistry registry, Console console, ObjectiveOptions o, long seed) {
        ObjectiveProvider p = registry.objective(o.objective);
        Config c = p.configure(o.params);
        return new ObjectivePlan(p, c, new CreationContext(console.dataDirectory(o.dataDir), seed));
    }

    static List<UpdateRule> rules(PluginRegistry registry, List<OptimizerSpec> specs, CreationContext context) {
        List<UpdateRule> rules = new ArrayList<>();
        for (OptimizerSpec s : specs) {
            rules.add(s.create(registry, context));
        }
        return rules;
    }

    /** Starts every rule on the first objective, so a rule that cannot run on this family fails before any work. */
    static void checkRules(List<UpdateRule> rules, ObjectiveFamily family, long seed) {
        var layout = family.test(seed, 0).layout();
        for (UpdateRule r : rules) {
            r.init(layout);
        }
    }

    static void positive(String flag, long value) {
        if (value <= 0) {
            throw new ConfigurationException(flag + " must be a positive integer, got " + value);
        }
    }

    /** Parses {@code --x0} and checks its length against the objective's dimension. */
    static Optional<INDArray> startingPoint(String text, ObjectiveFamily family, long seed) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(",");
        double[] x = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                x[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new ConfigurationException("--x0 " + text + ": '" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(x[i])) {
                throw new ConfigurationException("--x0 " + text + ": coordinate " + i + " is not finite");
            }
        }
        int dimension = family.test(seed, 0).dimension();
        if (x.length != dimension) {
            throw new ConfigurationException("--x0 has " + x.length + " coordinates but objective '" + family.id()
                    + "' has dimension " + dimension);
        }
        return Optional.of(Nd4j.createFromArray(x));
    }
}
