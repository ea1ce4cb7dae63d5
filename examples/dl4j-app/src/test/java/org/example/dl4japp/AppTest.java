package org.example.dl4japp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.dl4j.L2oUpdater;
import org.nd4j.linalg.dataset.DataSet;

class AppTest {

    private static Path mnist;

    @BeforeAll
    static void findMnist() {
        mnist = Path.of(System.getProperty("l2o.datasets", "../../../shared/datasets")).resolve("mnist");
        Assumptions.assumeTrue(Files.isDirectory(mnist), "MNIST not found at " + mnist.toAbsolutePath()
                + ": skipping (pass -Dl2o.datasets=DIR)");
    }

    @Test
    void theLearnedOptimizerTrainsAndARestoredNetworkContinuesExactly(@TempDir Path dir) throws Exception {
        DataSet data = Mnist.read(mnist, true, 1024);
        MultiLayerNetwork uninterrupted = App.network();
        double start = uninterrupted.score(data);
        App.train(uninterrupted, data, 0, 40);

        MultiLayerNetwork first = App.network();
        App.train(first, data, 0, 20);
        File model = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(first, model, true);
        MultiLayerNetwork restored = L2oUpdater.attach(ModelSerializer.restoreMultiLayerNetwork(model, true));
        App.train(restored, data, 20, 20);

        assertArrayEquals(uninterrupted.params().toFloatVector(), restored.params().toFloatVector(), 0f,
                "the restored network did not continue as the uninterrupted one");
        double end = uninterrupted.score(data);
        assertTrue(end < 0.5 * start, "training loss went from " + start + " to " + end);
    }

    @Test
    void theApplicationRunsEndToEnd(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model.zip");
        App.main(new String[] {mnist.toString(), "512", "16", model.toString()});
        assertTrue(Files.size(model) > 0, "no model written");
    }
}
