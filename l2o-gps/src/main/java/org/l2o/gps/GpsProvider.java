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
 * The {@code gps} meta-trainer. Defaults follow cbfinn/gps (cbfinn/gps defaults) where Li and Malik give no
 * number, and where an earlier GPS experiment on this problem class showed what works:
 * globally tuned momentum as the initial controllers, KL step 0.2 with the step multiplier in
 * [0.01, 1], policy regression with batch 256 and Adam (20,000 steps first, 5,000 warm-started),
 * and dynamics that use the known structure of the optimization MDP.
 */
public final class GpsProvider implements MetaTrainerProvider {

    @Override
    public String id() {
        return "gps";
    }

    @Override
    public String description() {
        return "guided policy search (Li & Malik 2016): local LQR controllers, supervised policy regression";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.choice("variant", List.of("mdgps", "badmm"),
                        "global-policy update: mirror descent (mdgps) or Bregman ADMM (badmm, as the 2017 paper writes)"),
                ParameterSpec.integer("iterations", 10, "GPS iterations").range(1, 100_000),
                ParameterSpec.integer("samples", 20, "trajectories per training objective per iteration")
                        .range(2, 100_000),
                ParameterSpec.real("kl-step", 0.2, "KL trust region per step, times the step multiplier").positive(),
                ParameterSpec.real("min-step-mult", 0.01, "lower bound of the step multiplier").positive(),
                ParameterSpec.real("max-step-mult", 1.0, "upper bound of the step multiplier").positive(),
                ParameterSpec.real("init-var", 0.01, "exploration variance of the initial controllers").positive(),
                ParameterSpec.choice("init", List.of("global", "per-objective"),
                        "tune the initial momentum once for all objectives or per objective"),
                ParameterSpec.text("init-lr-grid", "0.05,0.1,0.2,0.5,1,1.5,2,2.51,3,4", "step sizes tried for momentum"),
                ParameterSpec.text("init-momentum-grid", "0,0.3,0.5,0.7,0.9", "momentum coefficients tried"),
                ParameterSpec.choice("dynamics", List.of("structured", "generic"),
                        "structured: regress only the new value change and gradient; generic: dynamics with a GMM prior (Levine & Abbeel 2014)"),
                ParameterSpec.real("dynamics-regularization", 1e-6, "ridge of the dynamics regression").nonNegative(),
                ParameterSpec.integer("gmm-clusters", 10, "mixture components of the generic dynamics prior")
                        .range(1, 1000),
                ParameterSpec.integer("gmm-points", 2000, "points the generic dynamics prior is fitted on")
                        .range(10, 10_000_000),
                ParameterSpec.integer("policy-iterations-first", 20_000, "Adam steps of the first policy regression")
                        .range(0, 100_000_000),
                ParameterSpec.integer("policy-iterations", 5_000, "Adam steps of later policy regressions")
                        .range(0, 100_000_000),
                ParameterSpec.integer("policy-batch", 256, "minibatch of the policy regression").range(1, 1_000_000),
                ParameterSpec.real("policy-lr", 1e-3, "Adam step size of the policy regression").positive(),
                ParameterSpec.flag("whiten", true, "normalise policy inputs with statistics of the first samples"),
                ParameterSpec.integer("validation-objectives", 20,
                        "held-out training-stream objectives that choose the iteration to keep (0: training cost)")
                        .range(0, 100_000),
                ParameterSpec.choice("cost-hessian", List.of("fd", "none"),
                        "second-order cost term: finite-difference Hessian of f, or none"),
                ParameterSpec.integer("inner-iterations", 0,
                        "badmm: policy/trajectory alternations per iteration, 0 = 4 (cbfinn/gps default)").range(0, 100),
                ParameterSpec.real("init-policy-weight", 0.01, "badmm: initial penalty weight nu").nonNegative(),
                ParameterSpec.real("policy-dual-rate", 0.1, "badmm: step size of the dual lambda").nonNegative(),
                ParameterSpec.real("lg-step", 10.0, "badmm: growth of nu per unit of KL(local || policy)").nonNegative());
    }

    /** The MLP policy of Li and Malik 2016 on its history features. */
    @Override
    public String defaultPolicy() {
        return "mlp";
    }

    @Override
    public String defaultFeatures() {
        return "lm2016";
    }

    /** Policy regression needs parameter gradients, the LQR a Gaussian policy on the whole state. */
    @Override
    public Set<PolicyCapability> requiredCapabilities() {
        return Set.of(PolicyCapability.STOCHASTIC, PolicyCapability.DIFFERENTIABLE);
    }

    @Override
    public MetaTrainer create(Config config, CreationContext context) {
        GpsSettings s = GpsSettings.of(validated(config));
        return new GuidedPolicySearch(s, config, context.rollouts());
    }

    private Config validated(Config config) {
        for (String key : List.of("init-lr-grid", "init-momentum-grid")) {
            try {
                double[] v = GpsSettings.doubles(config.getString(key));
                for (double d : v) {
                    if (!Double.isFinite(d) || d < 0) {
                        throw new NumberFormatException();
                    }
                }
            } catch (NumberFormatException e) {
                throw new ConfigurationException(owner() + ": invalid value '" + config.getString(key)
                        + "' for parameter '" + key + "': expected comma-separated numbers >= 0");
            }
        }
        if (config.getDouble("min-step-mult") > config.getDouble("max-step-mult")) {
            throw new ConfigurationException(owner() + ": min-step-mult " + config.getDouble("min-step-mult")
                    + " exceeds max-step-mult " + config.getDouble("max-step-mult"));
        }
        return config;
    }
}
