package org.l2o.objectives.synthetic;

import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;

/** The n-dimensional Rosenbrock function (one fixed function; seeds vary only the start). */
public final class RosenbrockProvider implements ObjectiveProvider {
    @Override
    public String id() {
        return "rosenbrock";
    }

    @Override
    public String description() {
        return "n-dimensional Rosenbrock function, minimum 0 at (1, ..., 1), start (-1.2, 1, ...)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("dimension", 2, "number of parameters").range(2, 10_000_000),
                ParameterSpec.real("init-noise", 0, "std of Gaussian noise added to the classic start").nonNegative());
    }

    @Override
    public ObjectiveFamily create(Config config, CreationContext context) {
        int n = config.getInt("dimension");
        double noise = config.getDouble("init-noise");
        Rosenbrock f = new Rosenbrock(id(), n, noise);
        return new Family(id(), r -> f);
    }
}
