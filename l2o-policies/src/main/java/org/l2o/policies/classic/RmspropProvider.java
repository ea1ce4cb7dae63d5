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
 * RMSprop as torch.optim.RMSprop: {@code v = alpha v + (1 - alpha) g^2}; centred variant subtracts the
 * squared running mean of g; {@code a = sqrt(v) + eps}; with momentum {@code b = momentum b + g / a},
 * {@code dx = -lr b}, else {@code dx = -lr g / a}.
 */
public final class RmspropProvider implements UpdateRuleProvider {

    @Override
    public String id() {
        return "rmsprop";
    }

    @Override
    public String description() {
        return "RMSprop: steps scaled by a running root-mean-square of gradients (torch.optim.RMSprop)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.real("lr", 1e-2, "step size").positive(),
                ParameterSpec.real("alpha", 0.99, "smoothing constant of the squared-gradient average").unitInterval(),
                ParameterSpec.real("eps", 1e-8, "added to the denominator").positive(),
                ParameterSpec.real("momentum", 0, "momentum coefficient").unitInterval(),
                ParameterSpec.flag("centered", false, "normalise by the estimated variance instead of the second moment"),
                ParameterSpec.real("weight-decay", 0, "L2 penalty added to the gradient").nonNegative());
    }

    @Override
    public UpdateRule create(Config config, CreationContext context) {
        return new Rmsprop(Spec.of(id(), config), config.getDouble("lr"), config.getDouble("alpha"),
                config.getDouble("eps"), config.getDouble("momentum"), config.getBoolean("centered"),
                config.getDouble("weight-decay"));
    }

    record Rmsprop(String spec, double lr, double alpha, double eps, double momentum, boolean centered,
                   double weightDecay) implements UpdateRule {

        record State(double[] square, double[] mean, double[] buffer) implements RuleState {
        }

        @Override
        public RuleState init(ParameterLayout layout) {
            int n = layout.dimension();
            return new State(new double[n], new double[n], new double[n]);
        }

        @Override
        public Step step(Observation o, RuleState state) {
            State s = (State) state;
            double[] g = Vectors.decayed(Vectors.read(o.gradient()), o.x(), weightDecay);
            int n = g.length;
            double[] sq = new double[n];
            double[] mean = centered ? new double[n] : s.mean();
            double[] buf = momentum > 0 ? new double[n] : s.buffer();
            double[] dx = new double[n];
            for (int i = 0; i < n; i++) {
                sq[i] = alpha * s.square()[i] + (1 - alpha) * g[i] * g[i];
                double v = sq[i];
                if (centered) {
                    mean[i] = alpha * s.mean()[i] + (1 - alpha) * g[i];
                    v -= mean[i] * mean[i];
                }
                double a = Math.sqrt(v) + eps;
                if (momentum > 0) {
                    buf[i] = momentum * s.buffer()[i] + g[i] / a;
                    dx[i] = -lr * buf[i];
                } else {
                    dx[i] = -lr * g[i] / a;
                }
            }
            return new Step(Vectors.of(dx), new State(sq, mean, buf));
        }
    }
}
