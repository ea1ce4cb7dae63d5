package org.l2o.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.runtime.Main;
import org.l2o.runtime.PluginRegistry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

class FitCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, Map.of(), new PrintWriter(out), new PrintWriter(err), PluginRegistry.discover());
    }

    @Test
    void trainsANetworkAndWritesTheModelCurvesSummaryAndReport(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("fit");
        int code = run("fit", "--network", "mlp", "--hidden", "32", "--dataset", "mnist", "--optimizer", "adam:lr=0.01",
                "--epochs", "2", "--batch", "32", "--examples", "512", "--eval-samples", "256", "--out", target.toString(),
                "-q");
        assertEquals(0, code, err.toString());
        for (String f : List.of("model.zip", "summary.csv", "loss.png", "loss.svg", "accuracy.png", "accuracy.svg",
                "report.html")) {
            assertTrue(Files.size(target.resolve(f)) > 0, f);
        }
        List<String> summary = Files.readAllLines(target.resolve("summary.csv"));
        assertEquals(4, summary.size(), "header, before training, two epochs: " + summary);
        double before = Double.parseDouble(summary.get(1).split(",")[4]);
        double after = Double.parseDouble(summary.get(3).split(",")[4]);
        assertTrue(after > before + 0.3, "training accuracy went from " + before + " to " + after);
        assertEquals("32", summary.get(3).split(",")[1], "two epochs of 512 / 32 minibatches");

        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(target.resolve("model.zip").toFile(), true);
        assertEquals(new L2oUpdater("adam:lr=0.01"),
                ((BaseLayer) restored.getLayerWiseConfigurations().getConf(0).getLayer()).getIUpdater());
        assertTrue(restored.getUpdater().getStateViewArray().getDouble(0) == 32, "the updater state holds 32 steps");
    }

    @Test
    void trainsLenetWithTheShippedLearnedOptimizer(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("lenet");
        int code = run("fit", "--network", "lenet", "--optimizer", "learned:mnist-v1", "--batch", "32", "--examples",
                "96", "--eval-samples", "64", "--out", target.toString(), "-q");
        assertEquals(0, code, err.toString());
        assertTrue(Files.readString(target.resolve("report.html")).contains("learned:mnist-v1"));
    }

    @Test
    void trainsAComputationGraphFromItsJsonFile(@TempDir Path dir) {
        Path graph = Dl4jNetworkProviderTest.convGraphFile();
        int code = run("fit", "--network", graph.toString(), "--optimizer", "adagrad:lr=0.05", "--batch", "16",
                "--examples", "64", "--eval-samples", "32", "--out", dir.resolve("graph").toString(), "-q");
        assertEquals(0, code, err.toString());
        assertTrue(Files.isRegularFile(dir.resolve("graph/model.zip")));
    }

    @Test
    void badInputIsOneLineAndExitTwoAndWritesNothing(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("never");
        Path small = Files.writeString(dir.resolve("small.json"), BuiltInNetworks.mlp(100, new int[] {8}, 10,
                new Sgd(0.1), 0, DataType.FLOAT).toJson());
        Map<String[], String> cases = Map.of(
                new String[] {"--optimizer", "adamw:lr=0.1"}, "adamw",
                new String[] {"--optimizer", "adam", "--network", dir.resolve("none.json").toString()}, "none.json",
                new String[] {"--optimizer", "adam", "--network", small.toString()}, "small.json",
                new String[] {"--optimizer", "adam", "--epochs", "0"}, "--epochs",
                new String[] {"--optimizer", "adam", "--dataset", "no-such-set"}, "no-such-set");
        for (var c : cases.entrySet()) {
            err.getBuffer().setLength(0);
            List<String> list = new java.util.ArrayList<>(List.of("fit"));
            list.addAll(List.of(c.getKey()));
            list.addAll(List.of("--out", target.toString(), "-q"));
            String[] args = list.toArray(String[]::new);
            int code = run(args);
            String message = err.toString().strip();
            assertEquals(2, code, String.join(" ", args) + ": " + message);
            assertEquals(1, message.lines().count(), message);
            assertTrue(message.contains(c.getValue()), message);
        }
        assertFalse(Files.exists(target), "a failed fit left an output folder");
    }
}
