package org.l2o.objectives.synthetic;

import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;

/** Li and Malik 2016 logistic regression on random two-Gaussian datasets (Li & Malik 2016, the problem classes of the experiments). */
public final class LogisticRegressionProvider implements ObjectiveProvider {
    @Override
    public String id() {
        return "logistic-regression";
    }

    @Override
    public String description() {
        return "L2-regularised logistic regression on a random two-Gaussian dataset (Li & Malik 2016)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("dimension", 3, "number of features (parameters = features + 1)").range(1, 10_000),
                ParameterSpec.integer("points", 100, "data points per objective, half from each class").range(2, 10_000_000),
                ParameterSpec.real("l2", 0.0005, "L2 penalty lambda on the weights").nonNegative());
    }

    @Override
    public ObjectiveFamily create(Config config, CreationContext context) {
        int d = config.getInt("dimension");
        int n = config.getInt("points");
        double l2 = config.getDouble("l2");
        return new Family(id(), r -> new LogisticRegression(id(), d, n, l2, r));
    }
}
