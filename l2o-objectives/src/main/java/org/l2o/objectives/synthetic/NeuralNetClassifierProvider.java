package org.l2o.objectives.synthetic;

import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;

/** Li and Malik 2016 two-layer ReLU classifier on four random Gaussian clusters (Li & Malik 2016, the problem classes of the experiments). */
public final class NeuralNetClassifierProvider implements ObjectiveProvider {
    @Override
    public String id() {
        return "nn-classifier";
    }

    @Override
    public String description() {
        return "two-layer ReLU net with softmax loss on four random Gaussian clusters (Li & Malik 2016)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("dimension", 2, "input features d").range(1, 1000),
                ParameterSpec.integer("hidden", 2, "hidden ReLU units h").range(1, 1000),
                ParameterSpec.integer("classes", 2, "classes p").range(2, 1000),
                ParameterSpec.integer("clusters", 4, "Gaussian clusters, each with a random label").range(2, 1000),
                ParameterSpec.integer("points-per-cluster", 25, "data points per cluster").range(1, 1_000_000),
                ParameterSpec.real("l2", 0.0005, "L2 penalty lambda on W and U").nonNegative());
    }

    @Override
    public ObjectiveFamily create(Config config, CreationContext context) {
        int d = config.getInt("dimension");
        int h = config.getInt("hidden");
        int p = config.getInt("classes");
        int k = config.getInt("clusters");
        int m = config.getInt("points-per-cluster");
        double l2 = config.getDouble("l2");
        return new Family(id(), r -> new NeuralNetClassifier(id(), d, h, p, k, m, l2, r));
    }
}
