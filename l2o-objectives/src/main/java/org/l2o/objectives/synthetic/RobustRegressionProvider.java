package org.l2o.objectives.synthetic;

import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;

/** Li and Malik 2016 robust linear regression with the Geman-McClure loss (Li & Malik 2016, the problem classes of the experiments). */
public final class RobustRegressionProvider implements ObjectiveProvider {
    @Override
    public String id() {
        return "robust-regression";
    }

    @Override
    public String description() {
        return "Geman-McClure robust linear regression on four random Gaussian clusters (Li & Malik 2016)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("dimension", 3, "number of features (parameters = features + 1)").range(1, 10_000),
                ParameterSpec.integer("clusters", 4, "Gaussian clusters, each with its own linear relation").range(1, 1000),
                ParameterSpec.integer("points-per-cluster", 25, "data points per cluster").range(1, 1_000_000),
                ParameterSpec.real("c", 1, "scale c of the Geman-McClure loss r^2/(c^2+r^2)").positive(),
                ParameterSpec.real("noise", 0.5, "std of the Gaussian noise on the targets").nonNegative());
    }

    @Override
    public ObjectiveFamily create(Config config, CreationContext context) {
        int d = config.getInt("dimension");
        int k = config.getInt("clusters");
        int m = config.getInt("points-per-cluster");
        double c = config.getDouble("c");
        double noise = config.getDouble("noise");
        return new Family(id(), r -> new RobustRegression(id(), d, k, m, c, noise, r));
    }
}
