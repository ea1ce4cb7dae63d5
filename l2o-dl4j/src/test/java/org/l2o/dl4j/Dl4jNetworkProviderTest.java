package org.l2o.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.DataFormatException;
import org.l2o.api.Seeds;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.testkit.ObjectiveContract;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.api.update.Rollout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class Dl4jNetworkProviderTest {

    static final Dl4jNetworkProvider PROVIDER = new Dl4jNetworkProvider();

    /** A small sigmoid MLP on the embedded MNIST subset, in double precision for the gradient check. */
    static Map<String, String> smallMlp(String... more) {
        Map<String, String> p = new HashMap<>(Map.of("network", "mlp", "hidden", "6", "dataset", "mnist",
                "batch", "8", "eval-samples", "40", "precision", "double"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    /** A one-convolution ComputationGraph in DL4J's JSON, as a user's configuration file. */
    static Path convGraphFile() {
        try {
            Path file = Files.createTempFile("l2o-conv-graph", ".json");
            file.toFile().deleteOnExit();
            String json = new NeuralNetConfiguration.Builder().seed(0).dataType(DataType.DOUBLE).updater(new Sgd(0.1))
                    .graphBuilder()
                    .addInputs("in")
                    .setInputTypes(InputType.convolutionalFlat(28, 28, 1))
                    .addLayer("conv", new ConvolutionLayer.Builder(5, 5).stride(3, 3).nOut(3)
                            .activation(Activation.TANH).build(), "in")
                    .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                            .activation(Activation.SOFTMAX).build(), "conv")
                    .setOutputs("out")
                    .build().toJson();
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Objective objective(Map<String, String> parameters) {
        return PROVIDER.create(PROVIDER.configure(parameters), CreationContext.defaults()).train(1, 0);
    }

    @Nested
    class Mlp extends ObjectiveContract {
        @Override
        protected ObjectiveProvider provider() {
            return PROVIDER;
        }

        @Override
        protected Map<String, String> parameters() {
            return smallMlp();
        }

        @Override
        protected boolean randomFamily() {
            return false; // one dataset and network; objectives differ only in start and minibatches
        }
    }

    @Nested
    class ConvolutionalGraphFromAFile extends ObjectiveContract {
        private final Path file = convGraphFile();

        @Override
        protected ObjectiveProvider provider() {
            return PROVIDER;
        }

        @Override
        protected Map<String, String> parameters() {
            return Map.of("network", file.toString(), "dataset", "mnist", "batch", "8", "eval-samples", "30");
        }

        @Override
        protected boolean randomFamily() {
            return false;
        }
    }

    @Test
    void providersAreDeclared() {
        ServiceDeclarations.assertAgree(Dl4jNetworkProvider.class);
    }

    @Test
    void lenetsTensorsAreItsCoordinateGroupsInTheFlatOrder() {
        Objective lenet = objective(Map.of("network", "lenet", "dataset", "mnist"));
        List<CoordinateGroup> groups = lenet.layout().groups();
        // DL4J stores a convolution's bias before its kernel
        assertEquals(List.of("0_b", "0_W", "2_b", "2_W", "4_W", "4_b", "5_W", "5_b"),
                groups.stream().map(CoordinateGroup::name).toList());
        assertEquals(List.of(20, 1, 5, 5), groups.get(1).shape());
        assertEquals(431_080, lenet.dimension());

        // each group is exactly the slice of the flat vector that DL4J's tensor views
        var net = Dl4jNetworkProvider.network("lenet", List.of(), org.l2o.kernels.data.Datasets.load("mnist", true,
                java.util.Optional.empty()), DataType.DOUBLE).build(0);
        net.params().assign(org.nd4j.linalg.factory.Nd4j.arange(net.numParams()).castTo(DataType.DOUBLE)
                .reshape(net.params().shape()));
        for (CoordinateGroup g : groups) {
            var tensor = net.paramTable().get(g.name());
            assertEquals(g.offset(), tensor.minNumber().longValue(), g.name());
            assertEquals(g.end() - 1, tensor.maxNumber().longValue(), g.name());
        }
    }

    @Test
    void adamTrainsTheNetworkThroughTheObjective() {
        Objective f = objective(smallMlp("hidden", "32", "batch", "32", "precision", "float"));
        var rule = org.l2o.runtime.PluginRegistry.discover().createOptimizer("adam:lr=0.01", CreationContext.defaults());
        Rollout.Result r = Rollout.run(f, rule, f.initialPoint(Seeds.generator(3)), 150, Seeds.generator(4));
        assertTrue(r.finalValue() < 0.6 * r.values()[0], r.values()[0] + " -> " + r.finalValue());
    }

    @Test
    void theValueAloneEqualsTheValueOfAnEvaluation() {
        Objective f = objective(smallMlp("eval-samples", "700"));
        var x = f.initialPoint(Seeds.generator(2));
        assertEquals(f.evaluate(x).value(), f.value(x), 1e-12);
    }

    @Test
    void initialPointsFollowTheirSeed() {
        Objective f = objective(smallMlp());
        assertEquals(f.initialPoint(Seeds.generator(5)), f.initialPoint(Seeds.generator(5)));
        assertTrue(!f.initialPoint(Seeds.generator(5)).equals(f.initialPoint(Seeds.generator(6))));
    }

    @Test
    void aMissingFileIsNamed() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> objective(smallMlp("network", "no/such/net.json")));
        assertTrue(e.getMessage().contains("no/such/net.json") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void aFileThatIsNoNetworkSaysSo(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("net.json"), "{\"layers\": 3}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> objective(smallMlp("network",
                file.toString())));
        assertTrue(e.getMessage().contains("net.json") && e.getMessage().contains("not a DL4J"), e.getMessage());
    }

    @Test
    void aNetworkThatDoesNotFitTheImagesSaysWhy(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("small.json"), BuiltInNetworks.mlp(100, new int[] {8}, 10,
                new Sgd(0.1), 0, DataType.FLOAT).toJson());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> objective(smallMlp("network",
                file.toString())));
        assertTrue(e.getMessage().contains("small.json") && e.getMessage().contains("784"), e.getMessage());
        Path classes = Files.writeString(dir.resolve("classes.json"), BuiltInNetworks.mlp(784, new int[] {8}, 3,
                new Sgd(0.1), 0, DataType.FLOAT).toJson());
        ConfigurationException c = assertThrows(ConfigurationException.class, () -> objective(smallMlp("network",
                classes.toString())));
        assertTrue(c.getMessage().contains("10 classes"), c.getMessage());
    }
}
