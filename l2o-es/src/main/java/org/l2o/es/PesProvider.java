package org.l2o.es;

import java.util.List;
import java.util.Set;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.meta.MetaTrainer;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.update.PolicyCapability;

/**
 * The {@code pes} meta-trainer: persistent evolution strategies (Vicol, Metz and Sohl-Dickstein
 * 2021) with antithetic pairs, or plain antithetic ES over whole episodes ({@code variant=es}), on
 * any coordinatewise policy class. Needs no gradient of the policy, only its steps.
 */
public final class PesProvider implements MetaTrainerProvider {

    @Override
    public String id() {
        return "pes";
    }

    @Override
    public String description() {
        return "persistent evolution strategies (Vicol et al. 2021) or plain antithetic ES on a coordinatewise policy";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("iterations", 200, "outer iterations (one meta-gradient step and one checkpoint "
                        + "each)").range(1, 10_000_000),
                ParameterSpec.choice("variant", List.of("pes", "es"), "pes: particles persist across truncations and "
                        + "accumulate their perturbations; es: every iteration unrolls fresh whole episodes"),
                ParameterSpec.integer("pairs", 8, "antithetic particle pairs per iteration (each a task)")
                        .range(1, 100_000),
                ParameterSpec.integer("truncation", 50, "inner steps per particle per iteration (pes)")
                        .range(1, 10_000_000),
                ParameterSpec.integer("min-length", 100, "shortest episode, in inner steps").range(1, 100_000_000),
                ParameterSpec.integer("max-length", 2000, "longest episode; lengths are log-uniform in between")
                        .range(1, 100_000_000),
                ParameterSpec.real("sigma", 0.03, "standard deviation of the perturbations").positive(),
                ParameterSpec.real("lr", 0.01, "Adam step size on the meta-parameters").positive(),
                ParameterSpec.real("clip", 0, "clip the meta-gradient to this norm, 0 for none").nonNegative(),
                ParameterSpec.choice("meta-loss", List.of("log-mean", "mean", "log-mean-final"),
                        "per truncation: the log of the mean minibatch loss (comparable across tasks), the mean, or "
                                + "the log of the mean minibatch loss plus the true objective where the unroll ends"),
                ParameterSpec.choice("shaping", List.of("none", "std"), "fitness shaping: none, or divide the pairs' "
                        + "loss differences by their root mean square across pairs (a scale-free meta-gradient)"),
                ParameterSpec.integer("validation-objectives", 4, "held-out training-stream objectives that score "
                        + "the candidate (0: the training loss scores it)").range(0, 100_000),
                ParameterSpec.integer("validate-every", 5, "iterations between validations (and the last one); "
                        + "only validated candidates can be kept as the best").range(1, 1_000_000));
    }

    /** A fresh optimizer of the default class is its tuned AdaGrad baseline: ES only has to improve on it. */
    @Override
    public String defaultPolicy() {
        return "mlp-lopt";
    }

    @Override
    public String defaultFeatures() {
        return "lopt";
    }

    @Override
    public Set<PolicyCapability> requiredCapabilities() {
        return Set.of(PolicyCapability.COORDINATEWISE);
    }

    @Override
    public Set<String> adjustableOnResume() {
        return Set.of("iterations", "lr", "clip", "validate-every");
    }

    @Override
    public MetaTrainer create(Config config, CreationContext context) {
        if (config.getInt("min-length") > config.getInt("max-length")) {
            throw new ConfigurationException("trainer 'pes': min-length=" + config.getInt("min-length")
                    + " exceeds max-length=" + config.getInt("max-length"));
        }
        return new Pes(config, context.rollouts());
    }
}
