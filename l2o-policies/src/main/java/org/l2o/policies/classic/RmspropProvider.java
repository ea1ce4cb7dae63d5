package org.l2o.policies.classic;

import java.nio.ByteBuffer;
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
                   double weightDecay) implements ElementwiseRule {

        /** Buffers: the squared-gradient average, the gradient average (centred), the momentum buffer. */
        @Override
        public int bufferCount() {
            return 3;
        }

        @Override
        public double simdUpdate(int t, ByteBuffer x, ByteBuffer g, int n, double[][] buffers) {
            return SimdSteps.rmsprop(x, g, n, buffers, lr, alpha, eps, momentum, centered, weightDecay);
        }

        @Override
        public void kernel(int t, double[] x, double[] g, double[][] buffers, double[] dx) {
            double[] sq = buffers[0];
            double[] mean = buffers[1];
            double[] buf = buffers[2];
            int n = g.length;
            for (int i = 0; i < n; i++) {
                sq[i] = alpha * sq[i] + (1 - alpha) * g[i] * g[i];
            }
            // dx holds the denominator sqrt(v) + eps until the last loop
            if (centered) {
                for (int i = 0; i < n; i++) {
                    mean[i] = alpha * mean[i] + (1 - alpha) * g[i];
                    dx[i] = Math.sqrt(sq[i] - mean[i] * mean[i]) + eps;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dx[i] = Math.sqrt(sq[i]) + eps;
                }
            }
            if (momentum > 0) {
                for (int i = 0; i < n; i++) {
                    buf[i] = momentum * buf[i] + g[i] / dx[i];
                    dx[i] = -lr * buf[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dx[i] = -lr * g[i] / dx[i];
                }
            }
        }
    }
}
