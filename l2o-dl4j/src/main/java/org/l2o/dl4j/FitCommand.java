package org.l2o.dl4j;

import com.google.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DataFormatException;
import org.l2o.api.NativeMemory;
import org.l2o.api.Seeds;
import org.l2o.kernels.data.Datasets;
import org.l2o.kernels.data.LabeledImages;
import org.l2o.runtime.cli.Console;
import org.l2o.runtime.cli.Progress;
import org.l2o.runtime.io.Csv;
import org.l2o.runtime.io.StagedOutput;
import org.l2o.runtime.report.Curves;
import org.l2o.runtime.report.Html;
import org.l2o.runtime.report.Plots;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code l2o fit}: trains a DL4J network on an image dataset with any l2o optimizer through
 * {@link L2oUpdater} and writes the trained model (updater state included), the loss and accuracy
 * curves, {@code summary.csv} and {@code report.html}, all at once when training ends.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a Deeplearning4j network with an l2o optimizer (classic or learned).",
            "Writes model.zip (ModelSerializer, updater state included), loss.png/svg, accuracy.png/svg, "
                    + "summary.csv and report.html into --out."})
public final class FitCommand implements Callable<Integer> {

    /** Examples per forward pass when accuracy is measured. */
    private static final int CHUNK = 500;

    private final Console console;

    @Option(names = "--network", defaultValue = "lenet", paramLabel = "lenet|mlp|FILE.json",
            description = "lenet, mlp, or a DL4J MultiLayerConfiguration / ComputationGraphConfiguration JSON file "
                    + "(its updaters are replaced by --optimizer) (default: ${DEFAULT-VALUE})")
    String network;

    @Option(names = "--hidden", defaultValue = "100", split = ",", paramLabel = "W1,W2,...",
            description = "hidden layer widths of --network mlp (default: ${DEFAULT-VALUE})")
    List<Integer> hidden;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "NAME|DIR",
            description = "dataset name (mnist, fashion-mnist, cifar-10, cifar-100, fer2013) or a folder of "
                    + "MNIST-named IDX files (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "folder holding datasets (default: $L2O_DATA, then the embedded MNIST subsets)")
    Path dataDir;

    @Option(names = "--optimizer", required = true, paramLabel = "SPEC",
            description = "optimizer SPEC, e.g. adam:lr=0.001 or learned:mnist-v1")
    String optimizer;

    @Option(names = "--epochs", defaultValue = "1", description = "passes over the training examples (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "minibatch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--examples", defaultValue = "0",
            description = "train on the first N training images, 0 for all (default: ${DEFAULT-VALUE})")
    int examples;

    @Option(names = "--eval-samples", defaultValue = "2000",
            description = "images of each split on which accuracy is measured after every epoch (default: ${DEFAULT-VALUE})")
    int evalSamples;

    @Option(names = "--precision", defaultValue = "float", paramLabel = "float|double",
            description = "arithmetic of a built-in network; a file keeps its own (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the initialisation and the example order (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = {"--quiet", "-q"}, description = "no progress bar or summary table")
    boolean quiet;

    @Inject
    FitCommand(Console console) {
        this.console = console;
    }

    /** One epoch's line of summary.csv. */
    private record Epoch(int epoch, long iterations, double seconds, double trainLoss, double trainAccuracy,
                         double testAccuracy) {
    }

    @Override
    public Integer call() throws IOException {
        validate();
        Optional<Path> data = console.dataDirectory(dataDir);
        LabeledImages train = Datasets.load(dataset, true, data);
        Optional<LabeledImages> test = testSplit(data);
        DataType type = precision.equals("double") ? DataType.DOUBLE : DataType.FLOAT;
        Dl4jNetworkProvider.Network spec = Dl4jNetworkProvider.network(network, hidden, train, type);
        Model model = spec.build(seed, new L2oUpdater(optimizer));
        Dl4jNetworkProvider.check(model, network, train);
        L2oUpdater.attach(model);

        int n = examples > 0 ? Math.min(examples, train.count()) : train.count();
        int size = Math.min(batch, n);
        int perEpoch = n / size;
        List<Epoch> summary = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        int[] trainEval = firstRows(Math.min(n, evalSamples));
        int[] testEval = test.map(t -> firstRows(Math.min(t.count(), evalSamples))).orElse(new int[0]);
        summary.add(new Epoch(0, 0, 0, Double.NaN, accuracy(model, train, trainEval),
                test.map(t -> accuracy(model, t, testEval)).orElse(Double.NaN)));
        boolean diverged = false;
        long start = System.nanoTime();
        try (StagedOutput staged = StagedOutput.open(out);
             Progress progress = Progress.start("fit", (long) epochs * perEpoch, quiet)) {
            long iteration = 0;
            for (int epoch = 1; epoch <= epochs && !diverged; epoch++) {
                int[] order = shuffled(n, Seeds.generator(seed, "fit-order", epoch));
                double sum = 0;
                int count = 0;
                for (int b = 0; b < perEpoch; b++) {
                    DataSet minibatch = Images.rows(train, java.util.Arrays.copyOfRange(order, b * size, (b + 1) * size),
                            model.params().dataType());
                    fit(model, minibatch);
                    double loss = model.score();
                    losses.add(loss);
                    iteration++;
                    if (!Double.isFinite(loss)) {
                        diverged = true;
                        break;
                    }
                    sum += loss;
                    count++;
                    progress.stepTo(iteration, String.format(Locale.ROOT, "epoch %d loss %.4f", epoch, loss));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                summary.add(new Epoch(epoch, iteration, seconds, count == 0 ? Double.NaN : sum / count,
                        diverged ? Double.NaN : accuracy(model, train, trainEval),
                        diverged || test.isEmpty() ? Double.NaN : accuracy(model, test.get(), testEval)));
            }
            write(staged, model, summary, losses, train, test, n, diverged);
            staged.commit();
        }
        if (!quiet) {
            console.out().println(Csv.of(header(), rows(summary)).strip());
            if (diverged) {
                console.out().println("training diverged (a non-finite loss); the model as it stood is saved");
            }
            console.out().println("model: " + out.resolve("model.zip") + "   report: " + out.resolve("report.html"));
            console.out().flush();
        }
        return 0;
    }

    private void validate() {
        if (epochs < 1) {
            throw new ConfigurationException("--epochs " + epochs + ": must be at least 1");
        }
        if (batch < 1) {
            throw new ConfigurationException("--batch " + batch + ": must be at least 1");
        }
        if (examples < 0 || evalSamples < 0) {
            throw new ConfigurationException("--examples and --eval-samples must not be negative");
        }
        if (!precision.equals("float") && !precision.equals("double")) {
            throw new ConfigurationException("--precision " + precision + ": expected float or double");
        }
    }

    /** The test split where the data holds one (the embedded subsets hold only training images). */
    private Optional<LabeledImages> testSplit(Optional<Path> data) {
        try {
            return Optional.of(Datasets.load(dataset, false, data));
        } catch (DataFormatException | ConfigurationException e) {
            return Optional.empty();
        }
    }

    /** One iteration, in a {@link NativeMemory} section (see there for the ND4J crash it prevents). */
    private static void fit(Model model, DataSet minibatch) {
        try (NativeMemory.Section section = NativeMemory.enter()) {
            if (model instanceof MultiLayerNetwork m) {
                m.fit(minibatch);
            } else {
                ((ComputationGraph) model).fit(minibatch);
            }
        }
    }

    private static int[] firstRows(int count) {
        return java.util.stream.IntStream.range(0, count).toArray();
    }

    private static int[] shuffled(int n, RandomGenerator random) {
        int[] order = firstRows(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The fraction of {@code rows} the network classifies correctly; NaN for none. */
    private static double accuracy(Model model, LabeledImages images, int[] rows) {
        if (rows.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int start = 0; start < rows.length; start += CHUNK) {
            int[] chunk = java.util.Arrays.copyOfRange(rows, start, Math.min(rows.length, start + CHUNK));
            try (NativeMemory.Section section = NativeMemory.enter()) {
                DataSet d = Images.rows(images, chunk, model.params().dataType());
                INDArray out = model instanceof MultiLayerNetwork m ? m.output(d.getFeatures())
                        : ((ComputationGraph) model).outputSingle(d.getFeatures());
                int[] predicted = out.argMax(1).toIntVector();
                for (int i = 0; i < chunk.length; i++) {
                    if (predicted[i] == images.labels()[chunk[i]]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / rows.length;
    }

    private static List<String> header() {
        return List.of("epoch", "iterations", "seconds", "train_loss", "train_accuracy", "test_accuracy");
    }

    private static List<List<String>> rows(List<Epoch> summary) {
        List<List<String>> rows = new ArrayList<>();
        for (Epoch e : summary) {
            rows.add(List.of(Integer.toString(e.epoch()), Long.toString(e.iterations()), number(e.seconds()),
                    number(e.trainLoss()), number(e.trainAccuracy()), number(e.testAccuracy())));
        }
        return rows;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private void write(StagedOutput staged, Model model, List<Epoch> summary, List<Double> losses,
                       LabeledImages train, Optional<LabeledImages> test, int n, boolean diverged) throws IOException {
        ModelSerializer.writeModel(model, staged.file("model.zip").toFile(), true);
        Files.write(staged.file("summary.csv"), Csv.bytes(header(), rows(summary)));
        double[] loss = losses.stream().mapToDouble(Double::doubleValue).toArray();
        Plots.curves(List.of(new Curves(optimizer, loss, loss, loss, 1, diverged ? 1 : 0)),
                "minibatch loss, " + network + " on " + dataset, "iteration", "minibatch loss", true,
                staged.file("loss"));
        double[] trainAccuracy = summary.stream().mapToDouble(Epoch::trainAccuracy).toArray();
        List<Curves> accuracy = new ArrayList<>(List.of(new Curves("training images", trainAccuracy, trainAccuracy,
                trainAccuracy, 1, 0)));
        if (test.isPresent()) {
            double[] t = summary.stream().mapToDouble(Epoch::testAccuracy).toArray();
            accuracy.add(new Curves("test images", t, t, t, 1, 0));
        }
        Plots.curves(accuracy, "accuracy, " + network + " on " + dataset, "epoch", "accuracy", false,
                staged.file("accuracy"));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("network", network + (network.equals("mlp") ? " " + hidden : ""));
        settings.put("parameters", Long.toString(model.numParams()));
        settings.put("dataset", train.source() + " (" + n + " of " + train.count() + " training images"
                + test.map(t -> "; test split " + t.count() + " images").orElse("; no test split") + ")");
        settings.put("optimizer", optimizer);
        settings.put("epochs, batch", epochs + ", " + batch);
        settings.put("seed", Long.toString(seed));
        settings.put("precision", model.params().dataType().toString());
        settings.put("diverged", Boolean.toString(diverged));
        Html html = new Html("l2o fit: " + network + " on " + dataset + " with " + optimizer)
                .keyValues("Settings", settings)
                .image("loss.png", "minibatch loss per iteration")
                .image("accuracy.png", "accuracy per epoch")
                .table(header(), rows(summary))
                .paragraph("model.zip holds the network and its optimizer's state (ModelSerializer, updater "
                        + "included): restore it with ModelSerializer and call L2oUpdater.attach before training on.");
        try {
            Files.writeString(staged.file("report.html"), html.render(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
