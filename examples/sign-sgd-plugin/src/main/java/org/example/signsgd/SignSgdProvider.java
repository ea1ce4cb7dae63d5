package org.example.signsgd;

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
import org.nd4j.linalg.ops.transforms.Transforms;

/** Sign-gradient descent, {@code dx = -lr * sign(g)}: the smallest useful optimizer plugin. */
public final class SignSgdProvider implements UpdateRuleProvider {

    @Override
    public String id() {
        return "sign-sgd";
    }

    @Override
    public String description() {
        return "dx = -lr * sign(g) (example plugin)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.real("lr", 0.01, "step size").positive());
    }

    @Override
    public UpdateRule create(Config config, CreationContext context) {
        double lr = config.getDouble("lr");
        return new UpdateRule() {
            @Override
            public String spec() {
                return "sign-sgd:lr=" + lr;
            }

            @Override
            public RuleState init(ParameterLayout layout) {
                return new RuleState() { };
            }

            @Override
            public Step step(Observation o, RuleState s) {
                return new Step(Transforms.sign(o.gradient()).muli(-lr), s);
            }
        };
    }
}
