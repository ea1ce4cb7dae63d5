package org.l2o.objectives.synthetic;

import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;

/** Random quadratics with a chosen dimension and condition number. */
public final class QuadraticProvider implements ObjectiveProvider {
    @Override
    public String id() {
        return "quadratic";
    }

    @Override
    public String description() {
        return "random quadratic 1/2 (x-c)'A(x-c), eigenvalues log-spaced in [1, condition]";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("dimension", 10, "number of parameters").range(1, 10_000_000),
                ParameterSpec.real("condition", 10, "condition number of A (largest / smallest eigenvalue)")
                        .range(1, 1e12));
    }

    @Override
    public ObjectiveFamily create(Config config, CreationContext context) {
        int n = config.getInt("dimension");
        double condition = config.getDouble("condition");
        return new Family(id(), r -> new Quadratic(id(), n, condition, r));
    }
}
