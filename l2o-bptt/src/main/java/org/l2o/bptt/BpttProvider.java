package org.l2o.bptt;

import java.util.List;
import java.util.Set;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.meta.MetaTrainer;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.update.PolicyCapability;

/**
 * The {@code bptt} meta-trainer: supervised meta-training of a coordinatewise recurrent optimizer
 * by truncated backpropagation through time (Andrychowicz et al. 2016, the meta-loss and truncated BPTT).
 */
public final class BpttProvider implements MetaTrainerProvider {

    @Override
    public String id() {
        return "bptt";
    }

    @Override
    public String description() {
        return "supervised meta-training by truncated BPTT of a coordinatewise LSTM (Andrychowicz et al. 2016)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("iterations", 20, "evaluation periods (one checkpoint each)").range(1, 10_000_000),
                ParameterSpec.integer("epochs-per-iteration", 50, "runs on fresh training objectives per period")
                        .range(1, 10_000_000),
                ParameterSpec.integer("unroll", 20, "steps per truncated unroll (one Adam step each)")
                        .range(1, 1_000_000),
                ParameterSpec.real("lr", 1e-3, "Adam step size on the network weights").positive(),
                ParameterSpec.choice("meta-loss", List.of("true", "observed"),
                        "summed objective over the unroll: the true objective, or the minibatch values the optimizer sees"),
                ParameterSpec.integer("validation-objectives", 10,
                        "held-out training-stream objectives that choose the weights to keep (0: keep the last)")
                        .range(0, 100_000),
                ParameterSpec.real("clip", 0, "clip the meta-gradient to this norm, 0 for none").nonNegative());
    }

    /** The coordinatewise LSTM of Andrychowicz et al. 2016 on preprocessed gradients. */
    @Override
    public String defaultPolicy() {
        return "lstm-coordinatewise";
    }

    /**
     * The LSTM reads the gradient itself and its learned file names no feature map; requests carry
     * {@code lm2016} only because every request names one.
     */
    @Override
    public String defaultFeatures() {
        return "lm2016";
    }

    @Override
    public Set<PolicyCapability> requiredCapabilities() {
        return Set.of(PolicyCapability.COORDINATEWISE, PolicyCapability.DIFFERENTIABLE);
    }

    /** A longer run may resume an earlier one with a smaller meta step size or another clip. */
    @Override
    public Set<String> adjustableOnResume() {
        return Set.of("iterations", "lr", "clip");
    }

    @Override
    public MetaTrainer create(Config config, CreationContext context) {
        return new TruncatedBptt(config);
    }
}
