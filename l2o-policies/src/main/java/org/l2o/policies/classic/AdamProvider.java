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
 * Adam as torch.optim.Adam: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code dx = -(lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)}; AMSGrad keeps the running
 * maximum of v in the denominator.
 */
public final class AdamProvider implements UpdateRuleProvider {

    @Override
    public String id() {
        return "adam";
    }

    @Override
    public String description() {
        return "Adam: bias-corrected first and second moment estimates (torch.optim.Adam)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.real("lr", 1e-3, "step size").positive(),
                ParameterSpec.real("beta1", 0.9, "decay of the first-moment estimate").unitInterval(),
                ParameterSpec.real("beta2", 0.999, "decay of the second-moment estimate").unitInterval(),
                ParameterSpec.real("eps", 1e-8, "added to the denominator").positive(),
                ParameterSpec.real("weight-decay", 0, "L2 penalty added to the gradient").nonNegative(),
                ParameterSpec.flag("amsgrad", false, "use the running maximum of the second moment"));
    }

    @Override
    public UpdateRule create(Config config, CreationContext context) {
        return new Adam(Spec.of(id(), config), config.getDouble("lr"), config.getDouble("beta1"),
                config.getDouble("beta2"), config.getDouble("eps"), config.getDouble("weight-decay"),
                config.getBoolean("amsgrad"));
    }

    record Adam(String spec, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
            implements ElementwiseRule {

        /** Buffers: first moment, second moment, running maximum of the second moment (AMSGrad). */
        @Override
        public int bufferCount() {
            return amsgrad ? 3 : 2;
        }

        @Override
        public double simdUpdate(int t, ByteBuffer x, ByteBuffer g, int n, double[][] buffers) {
            return SimdSteps.adam(x, g, n, buffers, lr / (1 - Math.pow(beta1, t)), Math.sqrt(1 - Math.pow(beta2, t)),
                    beta1, beta2, eps, amsgrad, weightDecay);
        }

        @Override
        public void kernel(int t, double[] x, double[] g, double[][] buffers, double[] dx) {
            double[] m = buffers[0];
            double[] v = buffers[1];
            double stepSize = lr / (1 - Math.pow(beta1, t));
            double root = Math.sqrt(1 - Math.pow(beta2, t));
            int n = g.length;
            if (amsgrad) {
                double[] vmax = buffers[2];
                for (int i = 0; i < n; i++) {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                    vmax[i] = Math.max(vmax[i], v[i]);
                    dx[i] = -stepSize * m[i] / (Math.sqrt(vmax[i]) / root + eps);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                    dx[i] = -stepSize * m[i] / (Math.sqrt(v[i]) / root + eps);
                }
            }
        }
    }
}
