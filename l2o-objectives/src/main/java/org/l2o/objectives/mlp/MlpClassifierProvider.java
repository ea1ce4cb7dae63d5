package org.l2o.objectives.mlp;

import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.kernels.data.Datasets;
import org.l2o.kernels.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * MLP classifiers on a real dataset (Li & Malik 2017, meta-training): one fixed training set and architecture;
 * sampled objectives differ in their initial weights and minibatch sequence.
 */
public final class MlpClassifierProvider implements ObjectiveProvider {

    @Override
    public String id() {
        return "mlp-classifier";
    }

    @Override
    public String description() {
        return "multilayer perceptron with softmax cross-entropy on an image dataset (IDX or CIFAR files)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.text("dataset", "mnist", "dataset name (" + String.join(", ", Datasets.NAMES)
                        + ") or a folder of MNIST-named IDX files"),
                ParameterSpec.choice("split", List.of("train", "test"), "which split of the dataset to train on"),
                ParameterSpec.intList("hidden", "48", "hidden layer sizes, comma-separated (empty: softmax regression)"),
                ParameterSpec.choice("activation", List.of("relu", "sigmoid", "tanh", "softplus"), "hidden nonlinearity"),
                ParameterSpec.integer("batch", 64, "minibatch size of what the optimizer observes").range(1, 1_000_000),
                ParameterSpec.integer("project", 0, "random projection of the inputs to k dimensions, 0 for none")
                        .range(0, 100_000),
                ParameterSpec.integer("projection-seed", 0, "seed of the random projection and the evaluation subset"),
                ParameterSpec.integer("eval-samples", 0, "samples in the fixed subset for the true objective, 0 = all")
                        .range(0, Integer.MAX_VALUE),
                ParameterSpec.choice("init", List.of("glorot", "he", "gaussian"),
                        "weight initialisation: glorot, he (biases start at 0), or gaussian (weights and biases "
                                + "~ N(0, init-std^2), as Andrychowicz et al.'s MNIST code)"),
                ParameterSpec.real("init-std", 0.01, "standard deviation of init=gaussian").positive(),
                ParameterSpec.choice("precision", List.of("double", "float"),
                        "arithmetic of the passes (parameters and gradients stay double)"));
    }

    @Override
    public ObjectiveFamily create(Config config, CreationContext context) {
        String dataset = config.getString("dataset");
        boolean train = config.getString("split").equals("train");
        List<Integer> hidden = config.getIntList("hidden");
        for (int h : hidden) {
            if (h == 0) {
                throw new ConfigurationException(owner() + ": invalid value '" + config.text().get("hidden")
                        + "' for parameter 'hidden': layer sizes must be >= 1");
            }
        }
        int project = config.getInt("project");
        long projectionSeed = config.getLong("projection-seed");
        int evalSamples = config.getInt("eval-samples");
        int batch = config.getInt("batch");
        MlpClassifier.Activation activation =
                MlpClassifier.Activation.valueOf(config.getString("activation").toUpperCase(Locale.ROOT));
        MlpClassifier.Init init = MlpClassifier.Init.valueOf(config.getString("init").toUpperCase(Locale.ROOT));

        LabeledImages images = Datasets.load(dataset, train, context.dataDirectory());
        Inputs inputs = Inputs.prepare(images, project, projectionSeed, images.source() + "|" + train);
        Inputs eval = inputs;
        if (evalSamples > 0 && evalSamples < inputs.count()) {
            eval = inputs.rows(Seeds.subset(inputs.count(), evalSamples,
                    Seeds.generator(projectionSeed, "eval-subset", 0)));
        }
        int[] sizes = new int[hidden.size() + 2];
        sizes[0] = inputs.features();
        for (int i = 0; i < hidden.size(); i++) {
            sizes[i + 1] = hidden.get(i);
        }
        sizes[sizes.length - 1] = inputs.classes();
        DataType precision = config.getString("precision").equals("float") ? DataType.FLOAT : DataType.DOUBLE;
        MlpClassifier objective = new MlpClassifier(id(), sizes, activation, init, config.getDouble("init-std"), batch,
                precision, inputs, eval);
        // hashed once, when provenance first asks: the bytes as read, whatever the files' compression
        java.util.function.Supplier<Map<String, String>> identity = memoized(() -> {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            m.put("dataset", images.source() + " (" + (train ? "train" : "test") + ", " + images.labels().length
                    + " images)");
            m.put("sha256", images.sha256());
            return java.util.Collections.unmodifiableMap(m);
        });
        return new ObjectiveFamily() {
            @Override
            public String id() {
                return MlpClassifierProvider.this.id();
            }

            @Override
            public Objective sample(RandomGenerator random) {
                return objective;
            }

            @Override
            public Map<String, String> dataIdentity() {
                return identity.get();
            }
        };
    }

    private static <T> java.util.function.Supplier<T> memoized(java.util.function.Supplier<T> compute) {
        return new java.util.function.Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        v = value;
                        if (v == null) {
                            v = compute.get();
                            value = v;
                        }
                    }
                }
                return v;
            }
        };
    }
}
