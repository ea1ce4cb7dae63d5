package org.l2o.dl4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.DataFormatException;
import org.l2o.api.ParameterSpec;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.kernels.data.Datasets;
import org.l2o.kernels.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Any Deeplearning4j network as an objective: the training loss of a built-in network
 * ({@code lenet}, {@code mlp}) or of a network configuration in DL4J's own JSON
 * ({@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration}, as {@code toJson()}
 * writes it), on an image dataset l2o reads. Like {@code mlp-classifier}: one network and
 * training set; sampled objectives differ in their initialisation and minibatch sequence.
 */
public final class Dl4jNetworkProvider implements ObjectiveProvider {

    @Override
    public String id() {
        return "dl4j-network";
    }

    @Override
    public String description() {
        return "a Deeplearning4j network (lenet, mlp, or a DL4J JSON configuration file) on an image dataset";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.text("network", "lenet", "lenet, mlp, or a DL4J configuration file "
                        + "(MultiLayerConfiguration or ComputationGraphConfiguration JSON)"),
                ParameterSpec.intList("hidden", "100", "hidden layer widths of network=mlp (sigmoid units)"),
                ParameterSpec.text("dataset", "mnist", "dataset name (" + String.join(", ", Datasets.NAMES)
                        + ") or a folder of MNIST-named IDX files"),
                ParameterSpec.choice("split", List.of("train", "test"), "which split of the dataset to train on"),
                ParameterSpec.integer("batch", 64, "minibatch size of what the optimizer observes").range(1, 1_000_000),
                ParameterSpec.integer("eval-samples", 1000, "samples in the fixed subset for the true objective, "
                        + "0 = all").range(0, Integer.MAX_VALUE),
                ParameterSpec.integer("subset-seed", 0, "seed of the evaluation subset"),
                ParameterSpec.choice("precision", List.of("float", "double"),
                        "arithmetic of a built-in network (a configuration file keeps its own data type)"));
    }

    @Override
    public ObjectiveFamily create(Config config, CreationContext context) {
        boolean train = config.getString("split").equals("train");
        LabeledImages images = Datasets.load(config.getString("dataset"), train, context.dataDirectory());
        DataType precision = config.getString("precision").equals("double") ? DataType.DOUBLE : DataType.FLOAT;
        String network = config.getString("network");
        Network spec = network(network, config.getIntList("hidden"), images, precision);
        Model first = spec.build(0);
        check(first, network, images);

        int evalSamples = config.getInt("eval-samples");
        int[] evaluation = evalSamples > 0 && evalSamples < images.count()
                ? Seeds.subset(images.count(), evalSamples, Seeds.generator(config.getLong("subset-seed"), "eval-subset", 0))
                : java.util.stream.IntStream.range(0, images.count()).toArray();
        NetworkObjective objective = new NetworkObjective(id(), spec, first, images, evaluation,
                config.getInt("batch"));
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("dataset", images.source() + " (" + (train ? "train" : "test") + ", " + images.count() + " images)");
        identity.put("network", network + " (" + spec.json().length() + " characters of JSON, sha256 "
                + sha256(spec.json()) + ")");
        return new ObjectiveFamily() {
            @Override
            public String id() {
                return Dl4jNetworkProvider.this.id();
            }

            @Override
            public Objective sample(RandomGenerator random) {
                return objective;
            }

            @Override
            public Map<String, String> dataIdentity() {
                Map<String, String> m = new LinkedHashMap<>(identity);
                m.put("sha256", images.sha256());
                return java.util.Collections.unmodifiableMap(m);
            }
        };
    }

    /** The network a name or file stands for, as DL4J JSON. */
    static Network network(String name, List<Integer> hidden, LabeledImages images, DataType precision) {
        // the updater in the configuration is never used: l2o's optimizer moves the parameters
        Sgd unused = new Sgd(0);
        switch (name) {
            case "lenet" -> {
                int[] shape = imageShape(images, name);
                return new Network(false, BuiltInNetworks.lenet(shape[0], shape[1], shape[2], images.classes(), unused,
                        0, precision).toJson());
            }
            case "mlp" -> {
                int[] widths = hidden.stream().mapToInt(Integer::intValue).toArray();
                for (int w : widths) {
                    if (w < 1) {
                        throw new ConfigurationException("dl4j-network: invalid value '" + hidden
                                + "' for parameter 'hidden': layer widths must be >= 1");
                    }
                }
                return new Network(false, BuiltInNetworks.mlp(images.features(), widths, images.classes(), unused, 0,
                        precision).toJson());
            }
            default -> {
                return fromFile(Path.of(name));
            }
        }
    }

    private static Network fromFile(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": file not found (parameter 'network' takes lenet, mlp or a DL4J "
                    + "configuration file)");
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage());
        }
        String why;
        try {
            MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
            if (conf.getConfs() != null && !conf.getConfs().isEmpty()) {
                return new Network(false, json);
            }
            why = "no layers";
        } catch (RuntimeException notMultiLayer) {
            why = firstLine(notMultiLayer);
        }
        try {
            ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(json);
            if (conf.getDefaultConfiguration() != null && conf.getVertices() != null && !conf.getVertices().isEmpty()
                    && conf.getNetworkOutputs() != null && !conf.getNetworkOutputs().isEmpty()) {
                return new Network(true, json);
            }
        } catch (RuntimeException notGraph) {
            // reported with the multi-layer reason below
        }
        throw new DataFormatException(file + ": not a DL4J MultiLayerConfiguration or ComputationGraphConfiguration "
                + "in JSON (" + why + ")");
    }

    /** {@code {channels, height, width}} of square images with one or three channels. */
    static int[] imageShape(LabeledImages images, String network) {
        for (int channels : new int[] {1, 3}) {
            if (images.features() % channels == 0) {
                int side = (int) Math.round(Math.sqrt(images.features() / (double) channels));
                if (side * side * channels == images.features()) {
                    return new int[] {channels, side, side};
                }
            }
        }
        throw new ConfigurationException("dl4j-network: network " + network + " needs square images with 1 or 3 "
                + "channels; " + images.source() + " has " + images.features() + " values per image");
    }

    /** Fails with one line where the dataset's images or classes do not fit the network. */
    static void check(Model net, String name, LabeledImages images) {
        INDArray x = Nd4j.zeros(net.params().dataType(), 2, images.features());
        INDArray out;
        try {
            out = net instanceof MultiLayerNetwork m ? m.output(x) : ((ComputationGraph) net).outputSingle(x);
        } catch (RuntimeException e) {
            throw new ConfigurationException("dl4j-network: network " + name + " does not take " + images.source()
                    + "'s images (" + images.features() + " values each): " + firstLine(e));
        }
        if (out.rank() != 2 || out.size(1) != images.classes()) {
            throw new ConfigurationException("dl4j-network: network " + name + " gives " + java.util.Arrays.toString(
                    out.shape()) + " outputs for 2 images; " + images.source() + " has " + images.classes()
                    + " classes");
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String sha256(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder s = new StringBuilder();
            for (byte b : d) {
                s.append(String.format(Locale.ROOT, "%02x", b));
            }
            return s.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A network configuration as JSON, built afresh (so thread-confined) with a seed for DL4J's initialisation. */
    record Network(boolean graph, String json) {

        /** The network with the configuration's own updaters (they go unused when l2o moves the parameters). */
        Model build(long seed) {
            return build(seed, null);
        }

        /**
         * The network, initialised from {@code seed}, with {@code updater} on every layer with parameters unless
         * null, and its float convolutions on libnd4j's native op ({@link NativeConvolutions}).
         */
        Model build(long seed, IUpdater updater) {
            if (graph) {
                ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(json);
                conf.getDefaultConfiguration().setSeed(seed);
                for (GraphVertex v : conf.getVertices().values()) {
                    if (v instanceof LayerVertex lv) {
                        setUpdater(lv.getLayerConf(), updater);
                    }
                }
                ComputationGraph g = new ComputationGraph(conf);
                g.init();
                NativeConvolutions.install(g);
                return g;
            }
            MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
            for (NeuralNetConfiguration c : conf.getConfs()) {
                c.setSeed(seed);
                setUpdater(c, updater);
            }
            MultiLayerNetwork m = new MultiLayerNetwork(conf);
            m.init();
            NativeConvolutions.install(m);
            return m;
        }

        private static void setUpdater(NeuralNetConfiguration c, IUpdater updater) {
            if (updater != null && c.getLayer() instanceof BaseLayer layer) {
                layer.setIUpdater(updater.clone());
                if (layer.getBiasUpdater() != null) {
                    layer.setBiasUpdater(updater.clone());
                }
            }
        }
    }
}
