package org.l2o.policies.classic;

import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.Observation;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.UpdateRule;
import org.l2o.api.update.UpdateRuleProvider;

/**
 * AdaGrad as torch.optim.Adagrad: {@code clr = lr / (1 + (t-1) lr_decay)}, {@code s += g^2},
 * {@code dx = -clr g / (sqrt(s) + eps)}.
 */
public final class AdagradProvider implements UpdateRuleProvider {

    @Override
    public String id() {
        return "adagrad";
    }

    @Override
    public String description() {
        return "AdaGrad: per-coordinate steps scaled by the root of summed squared gradients (torch.optim.Adagrad)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.real("lr", 1e-2, "step size").positive(),
                ParameterSpec.real("lr-decay", 0, "step-size decay per step").nonNegative(),
                ParameterSpec.real("initial-accumulator", 0, "starting value of the squared-gradient sum").nonNegative(),
                ParameterSpec.real("eps", 1e-10, "added to the denominator").positive(),
                ParameterSpec.real("weight-decay", 0, "L2 penalty added to the gradient").nonNegative());
    }

    @Override
    public UpdateRule create(Config config, CreationContext context) {
        return new Adagrad(Spec.of(id(), config), config.getDouble("lr"), config.getDouble("lr-decay"),
                config.getDouble("initial-accumulator"), config.getDouble("eps"), config.getDouble("weight-decay"));
    }

    record Adagrad(String spec, double lr, double lrDecay, double initial, double eps, double weightDecay)
            implements UpdateRule {

        record State(int t, double[] sum) implements RuleState {
        }

        @Override
        public RuleState init(ParameterLayout layout) {
            double[] s = new double[layout.dimension()];
            java.util.Arrays.fill(s, initial);
            return new State(0, s);
        }

        @Override
        public Step step(Observation o, RuleState state) {
            State s = (State) state;
            double[] g = Vectors.decayed(Vectors.read(o.gradient()), o.x(), weightDecay);
            int t = s.t() + 1;
            double clr = lr / (1 + (t - 1) * lrDecay);
            double[] sum = new double[g.length];
            double[] dx = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                sum[i] = s.sum()[i] + g[i] * g[i];
                dx[i] = -clr * g[i] / (Math.sqrt(sum[i]) + eps);
            }
            return new Step(Vectors.of(dx), new State(t, sum));
        }
    }
}
