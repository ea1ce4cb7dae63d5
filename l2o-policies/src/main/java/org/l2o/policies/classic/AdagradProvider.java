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
            implements ElementwiseRule {

        @Override
        public int bufferCount() {
            return 1;
        }

        @Override
        public void initialise(double[][] buffers) {
            java.util.Arrays.fill(buffers[0], initial);
        }

        @Override
        public double simdUpdate(int t, ByteBuffer x, ByteBuffer g, int n, double[][] buffers) {
            return SimdSteps.adagrad(x, g, n, buffers[0], lr / (1 + (t - 1) * lrDecay), eps, weightDecay);
        }

        @Override
        public void kernel(int t, double[] x, double[] g, double[][] buffers, double[] dx) {
            double[] sum = buffers[0];
            double clr = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < g.length; i++) {
                sum[i] += g[i] * g[i];
                dx[i] = -clr * g[i] / (Math.sqrt(sum[i]) + eps);
            }
        }
    }
}
