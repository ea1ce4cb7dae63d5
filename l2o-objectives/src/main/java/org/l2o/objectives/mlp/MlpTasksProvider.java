package org.l2o.objectives.mlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * A meta-training task family of MLP classifiers on one dataset's <em>training split</em>: every
 * sampled task draws its input projection (dimension and which random projection), depth, hidden
 * widths, activation, minibatch size, initialisation scale and, for a fraction of tasks, a VeLO-style
 * reparameterisation (Metz et al. 2022, "VeLO", task augmentation): the optimizer sees
 * {@code w = x / s} with one scale s per tensor, log-uniform in a range, so it has to cope with
 * parameters and gradients whose scales are far from the usual ones. Each choice is a declared
 * parameter; the defaults give 48-200-wide nets of 1 to 3 hidden layers on MNIST, minibatches from 10
 * to 128. The test split is never read.
 */
public final class MlpTasksProvider implements ObjectiveProvider {

    @Override
    public String id() {
        return "mlp-tasks";
    }

    @Override
    public String description() {
        return "task family of MLP classifiers on a dataset's training split: sampled projection, depth, widths, "
                + "activation, minibatch, initialisation scale and weight reparameterisation";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.text("dataset", "mnist", "dataset name (" + String.join(", ", Datasets.NAMES)
                        + ") or a folder of MNIST-named IDX files; only its training split is read"),
                ParameterSpec.intList("projections", "32,48,64,100", "input projection dimensions to draw from "
                        + "(0: the raw pixels)"),
                ParameterSpec.integer("projection-seeds", 4, "distinct random projections per dimension")
                        .range(1, 1000),
                ParameterSpec.intList("depths", "1,2,3", "numbers of hidden layers to draw from"),
                ParameterSpec.intList("widths", "32,48,64,100,200", "hidden widths to draw from, per layer"),
                ParameterSpec.text("activations", "relu,tanh", "hidden nonlinearities to draw from, comma-separated "
                        + "(relu, sigmoid, tanh, softplus)"),
                ParameterSpec.intList("batches", "10,32,64,128", "minibatch sizes to draw from"),
                ParameterSpec.real("min-init-scale", 0.5, "smallest multiplier of the Glorot initial weights")
                        .positive(),
                ParameterSpec.real("max-init-scale", 2, "largest multiplier (log-uniform in between)").positive(),
                ParameterSpec.real("reparameterise", 0.25, "fraction of tasks whose tensors are reparameterised")
                        .range(0, 1),
                ParameterSpec.real("min-reparam-scale", 1e-3, "smallest reparameterisation scale").positive(),
                ParameterSpec.real("max-reparam-scale", 1e3, "largest reparameterisation scale (log-uniform)")
                        .positive(),
                ParameterSpec.integer("eval-samples", 2000, "training images in each projection's fixed subset for "
                        + "the true objective, 0 = all").range(0, Integer.MAX_VALUE));
    }

    /** What one task drew. */
    record Draw(int project, int projectionSeed, int[] hidden, MlpClassifier.Activation activation, int batch,
                double initScale, double[] reparameterisation) {
    }

    @Override
    public ObjectiveFamily create(Config config, CreationContext context) {
        List<Integer> projections = positive(config, "projections", true);
        List<Integer> depths = positive(config, "depths", true);
        List<Integer> widths = positive(config, "widths", false);
        List<Integer> batches = positive(config, "batches", false);
        List<MlpClassifier.Activation> activations = new ArrayList<>();
        for (String a : config.getString("activations").split(",")) {
            try {
                activations.add(MlpClassifier.Activation.valueOf(a.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(owner() + ": invalid value '" + config.getString("activations")
                        + "' for parameter 'activations': expected names among relu, sigmoid, tanh, softplus");
            }
        }
        double initLo = config.getDouble("min-init-scale");
        double initHi = config.getDouble("max-init-scale");
        double reLo = config.getDouble("min-reparam-scale");
        double reHi = config.getDouble("max-reparam-scale");
        if (initLo > initHi || reLo > reHi) {
            throw new ConfigurationException(owner() + ": a min- scale exceeds its max- scale");
        }
        double fraction = config.getDouble("reparameterise");
        int seeds = config.getInt("projection-seeds");
        int evalSamples = config.getInt("eval-samples");
        String dataset = config.getString("dataset");
        LabeledImages images = Datasets.load(dataset, true, context.dataDirectory());
        Map<String, Inputs[]> prepared = new ConcurrentHashMap<>();
        Map<String, String> identity = Map.of("dataset", images.source() + " (train, " + images.labels().length
                + " images)", "sha256", images.sha256());
        String family = id();
        return new ObjectiveFamily() {
            @Override
            public String id() {
                return family;
            }

            @Override
            public Objective sample(RandomGenerator random) {
                Draw d = draw(random);
                Inputs[] io = prepared.computeIfAbsent(d.project() + "/" + d.projectionSeed(), k -> {
                    Inputs in = Inputs.prepare(images, d.project(), d.projectionSeed(), images.source() + "|true");
                    Inputs eval = in;
                    if (evalSamples > 0 && evalSamples < in.count()) {
                        eval = in.rows(Seeds.subset(in.count(), evalSamples,
                                Seeds.generator(d.projectionSeed(), "eval-subset", 0)));
                    }
                    return new Inputs[] {in, eval};
                });
                int[] sizes = new int[d.hidden().length + 2];
                sizes[0] = io[0].features();
                System.arraycopy(d.hidden(), 0, sizes, 1, d.hidden().length);
                sizes[sizes.length - 1] = io[0].classes();
                MlpClassifier net = new MlpClassifier(family, sizes, d.activation(), MlpClassifier.Init.GLOROT, 0,
                        d.batch(), DataType.DOUBLE, io[0], io[1]);
                return new ScaledObjective(net, d.initScale(), d.reparameterisation());
            }

            /** Draws a task; the draw order is part of the family's definition (seeded streams depend on it). */
            private Draw draw(RandomGenerator r) {
                int project = projections.get(r.nextInt(projections.size()));
                int projectionSeed = r.nextInt(seeds);
                int depth = depths.get(r.nextInt(depths.size()));
                int[] hidden = new int[depth];
                for (int l = 0; l < depth; l++) {
                    hidden[l] = widths.get(r.nextInt(widths.size()));
                }
                MlpClassifier.Activation activation = activations.get(r.nextInt(activations.size()));
                int batch = batches.get(r.nextInt(batches.size()));
                double initScale = logUniform(r, initLo, initHi);
                boolean reparameterised = r.nextDouble() < fraction;
                double[] scales = new double[2 * (depth + 1)];
                for (int k = 0; k < scales.length; k++) {
                    double s = logUniform(r, reLo, reHi);
                    scales[k] = reparameterised ? s : 1;
                }
                return new Draw(project, projectionSeed, hidden, activation, batch, initScale, scales);
            }

            @Override
            public Map<String, String> dataIdentity() {
                return identity;
            }
        };
    }

    private static double logUniform(RandomGenerator r, double lo, double hi) {
        return Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * r.nextDouble());
    }

    private List<Integer> positive(Config config, String key, boolean zeroAllowed) {
        List<Integer> values = config.getIntList(key);
        if (values.isEmpty() || values.stream().anyMatch(v -> v < 0 || (!zeroAllowed && v == 0))
                || key.equals("depths") && values.stream().anyMatch(v -> v < 1 || v > 10)) {
            throw new ConfigurationException(owner() + ": invalid value '" + config.text().get(key)
                    + "' for parameter '" + key + "': expected one or more " + (key.equals("depths")
                    ? "depths in [1, 10]" : zeroAllowed ? "sizes >= 0" : "sizes >= 1") + ", comma-separated");
        }
        return values;
    }
}
