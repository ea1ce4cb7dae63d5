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
 * Gradient descent with heavy-ball momentum as torch.optim.SGD computes it: {@code b = g} on the
 * first step, then {@code b = momentum b + (1 - dampening) g}; {@code dx = -lr b}. With dampening 0
 * this equals the paper's {@code -lr sum_j momentum^(i-1-j) g_j} (Li & Malik 2016, the formulation). The default
 * momentum is 0.9 (torch's is 0, which would make this plain SGD).
 */
public final class MomentumProvider implements UpdateRuleProvider {

    private final boolean nesterov;

    public MomentumProvider() {
        this(false);
    }

    MomentumProvider(boolean nesterov) {
        this.nesterov = nesterov;
    }

    @Override
    public String id() {
        return nesterov ? "nesterov" : "momentum";
    }

    @Override
    public String description() {
        return nesterov ? "Nesterov momentum dx = -lr (g + momentum b) (torch.optim.SGD, nesterov=True)"
                : "heavy-ball momentum b = momentum b + g, dx = -lr b (torch.optim.SGD with momentum)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        ParameterSpec dampening = ParameterSpec.real("dampening", 0, "dampening of the gradient in the buffer")
                .unitInterval();
        List<ParameterSpec> common = List.of(
                ParameterSpec.real("lr", 1e-3, "step size").positive(),
                ParameterSpec.real("momentum", 0.9, "momentum coefficient").unitInterval(),
                ParameterSpec.real("weight-decay", 0, "L2 penalty added to the gradient").nonNegative());
        // torch requires zero dampening for Nesterov momentum, so the parameter is not offered there.
        return nesterov ? common : java.util.stream.Stream.concat(common.stream(), java.util.stream.Stream.of(dampening))
                .toList();
    }

    @Override
    public UpdateRule create(Config config, CreationContext context) {
        return new Momentum(Spec.of(id(), config), config.getDouble("lr"), config.getDouble("momentum"),
                nesterov ? 0 : config.getDouble("dampening"), config.getDouble("weight-decay"), nesterov);
    }

    record Momentum(String spec, double lr, double momentum, double dampening, double weightDecay, boolean nesterov)
            implements ElementwiseRule {

        /** One buffer; torch starts it at the first gradient, undampened. */
        @Override
        public int bufferCount() {
            return 1;
        }

        @Override
        public double simdUpdate(int t, ByteBuffer x, ByteBuffer g, int n, double[][] buffers) {
            return SimdSteps.momentum(x, g, n, buffers[0], t == 1, lr, momentum, 1 - dampening, nesterov, weightDecay);
        }

        @Override
        public void kernel(int t, double[] x, double[] g, double[][] buffers, double[] dx) {
            double[] b = buffers[0];
            int n = g.length;
            if (t == 1) {
                System.arraycopy(g, 0, b, 0, n);
            } else {
                double keep = 1 - dampening;
                for (int i = 0; i < n; i++) {
                    b[i] = momentum * b[i] + keep * g[i];
                }
            }
            if (nesterov) {
                for (int i = 0; i < n; i++) {
                    dx[i] = -lr * (g[i] + momentum * b[i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dx[i] = -lr * b[i];
                }
            }
        }
    }
}
