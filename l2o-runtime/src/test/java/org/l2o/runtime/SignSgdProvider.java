package org.l2o.runtime;

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

/** The third-party plugin example of the README, kept compiling and working by the tests. */
public final class SignSgdProvider implements UpdateRuleProvider {
    public String id() { return "sign-sgd"; }
    public String description() { return "dx = -lr * sign(g)"; }
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.real("lr", 0.01, "step size").positive());
    }
    public UpdateRule create(Config config, CreationContext context) {
        double lr = config.getDouble("lr");
        return new UpdateRule() {
            public String spec() { return "sign-sgd:lr=" + lr; }
            public RuleState init(ParameterLayout layout) { return new RuleState() { }; }
            public Step step(Observation o, RuleState s) {
                return new Step(Transforms.sign(o.gradient()).muli(-lr), s);
            }
        };
    }
}
