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

/** Plain (stochastic) gradient descent: {@code dx = -lr (g + weight_decay x)}, as torch.optim.SGD without momentum. */
public final class SgdProvider implements UpdateRuleProvider {

    @Override
    public String id() {
        return "sgd";
    }

    @Override
    public String description() {
        return "gradient descent dx = -lr * g (torch.optim.SGD, momentum 0)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.real("lr", 1e-3, "step size").positive(),
                ParameterSpec.real("weight-decay", 0, "L2 penalty added to the gradient").nonNegative());
    }

    @Override
    public UpdateRule create(Config config, CreationContext context) {
        return new Sgd(Spec.of(id(), config), config.getDouble("lr"), config.getDouble("weight-decay"));
    }

    record Sgd(String spec, double lr, double weightDecay) implements ElementwiseRule {

        @Override
        public int bufferCount() {
            return 0;
        }

        @Override
        public double simdUpdate(int t, ByteBuffer x, ByteBuffer g, int n, double[][] buffers) {
            return SimdSteps.sgd(x, g, n, lr, weightDecay);
        }

        @Override
        public void kernel(int t, double[] x, double[] g, double[][] buffers, double[] dx) {
            for (int i = 0; i < g.length; i++) {
                dx[i] = -lr * g[i];
            }
        }
    }
}
