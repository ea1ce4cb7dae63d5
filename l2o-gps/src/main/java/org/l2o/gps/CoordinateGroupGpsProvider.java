package org.l2o.gps;

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
 * The {@code gps-groups} meta-trainer: coordinate-group GPS for a coordinatewise recurrent policy
 * (Li & Malik 2017, coordinate groups). The paper gives no GPS numbers (Li & Malik 2017, meta-training); the defaults here are
 * chosen for its setting (a 48-48-10 net, horizon 400) on a 2-core machine: 5 samples per iteration,
 * 64 recorded coordinates per group, the spec's 25 lags of stride 5 for the state features, KL step
 * 0.2 per step as for the 2016 trainer, and gradient descent on the normalised gradient as the
 * initial controllers (the experiment passes the step size tuned for SGD).
 */
public final class CoordinateGroupGpsProvider implements MetaTrainerProvider {

    @Override
    public String id() {
        return "gps-groups";
    }

    @Override
    public String description() {
        return "coordinate-group guided policy search (Li & Malik 2017): tied per-coordinate LQR, recurrent policy";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("iterations", 10, "GPS iterations").range(1, 100_000),
                ParameterSpec.integer("samples", 5, "trajectories per training condition per iteration").range(1, 10_000),
                ParameterSpec.real("kl-step", 0.2, "KL trust region per step and coordinate").positive(),
                ParameterSpec.real("init-lr", 0.1, "step size of the initial controllers on their input (init-input)")
                        .positive(),
                ParameterSpec.text("init-input", "auto", "the policy input the initial controllers' step follows "
                        + "(step = -init-lr x input); auto: the normalised gradient for lm2017, AdaGrad's direction "
                        + "(raw.adagrad) for lopt, its heavy ball (raw.momentum) where lopt gives one"),
                ParameterSpec.real("init-var", 0, "exploration variance per coordinate of the initial controllers "
                        + "(0: set per group from init-noise)").nonNegative(),
                ParameterSpec.real("init-noise", 0.5,
                        "with init-var=0, the initial exploration spread relative to the group's RMS first step")
                        .positive(),
                ParameterSpec.integer("history", 25, "lags H of the state features Phi").range(1, 1000),
                ParameterSpec.integer("stride", 5, "steps between lags of the state features").range(1, 1000),
                ParameterSpec.integer("coordinates", 64,
                        "coordinates per group whose transitions fit the tied dynamics and train the policy")
                        .range(1, 1_000_000),
                ParameterSpec.real("dynamics-regularization", 1e-6, "ridge of the dynamics regression").nonNegative(),
                ParameterSpec.integer("policy-iterations-first", 2000, "Adam steps of the first policy regression")
                        .range(0, 100_000_000),
                ParameterSpec.integer("policy-iterations", 500, "Adam steps of later policy regressions")
                        .range(0, 100_000_000),
                ParameterSpec.integer("policy-unroll", 20, "steps per truncated-BPTT unroll (one Adam step each)")
                        .range(1, 1_000_000),
                ParameterSpec.integer("policy-batch", 256, "recorded trajectories per regression pass, over all groups")
                        .range(1, 10_000_000),
                ParameterSpec.real("policy-lr", 1e-3, "Adam step size of the policy regression").positive(),
                ParameterSpec.integer("validation-objectives", 2,
                        "held-out conditions that choose the iteration to keep (0: training cost)").range(0, 100_000),
                ParameterSpec.choice("step-adaptation", List.of("fixed", "laplace"), "the KL step per condition and "
                        + "group: fixed at kl-step (Li & Malik 2017), or scaled by how much of the improvement the "
                        + "Laplace estimate predicted was realised (the 2016 trainer's rule)"),
                ParameterSpec.real("min-step-mult", 0.01, "with laplace: lower bound of the step multiplier").positive(),
                ParameterSpec.real("max-step-mult", 1.0, "with laplace: upper bound of the step multiplier (kl-step "
                        + "times it is the largest step)").positive());
    }

    /** The 2017 policy: one LSTM layer of 128 cells on the 3 observation features, one network per group. */
    @Override
    public String defaultPolicy() {
        return "lstm-coordinatewise:layers=128,preprocess=none,inputs=3,networks=per-group";
    }

    /** The observation features Psi of Li and Malik 2017, sec. 3.2. */
    @Override
    public String defaultFeatures() {
        return "lm2017";
    }

    @Override
    public Set<PolicyCapability> requiredCapabilities() {
        return Set.of(PolicyCapability.COORDINATEWISE, PolicyCapability.DIFFERENTIABLE);
    }

    @Override
    public MetaTrainer create(Config config, CreationContext context) {
        if (config.getDouble("min-step-mult") > config.getDouble("max-step-mult")) {
            throw new ConfigurationException(owner() + ": min-step-mult " + config.getDouble("min-step-mult")
                    + " exceeds max-step-mult " + config.getDouble("max-step-mult"));
        }
        return new CoordinateGroupGps(CoordinateGroupGps.Settings.of(config), config, context.rollouts());
    }
}
