package org.l2o.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.l2o.api.L2oException;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.Observation;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

class L2oUpdaterTest {

    private static final DataSet DATA = Networks.data(32, 3);

    /**
     * DL4J's updater and the l2o SPEC with the same definition. Where DL4J's definition differs from
     * PyTorch's (which l2o follows), the SPEC compensates where it can (AdaGrad's accumulator starts
     * at eps in DL4J) and a tiny eps makes the remaining difference negligible (DL4J adds Adam's eps
     * outside the bias correction and starts RMSprop's average at eps).
     */
    static Stream<Arguments> sameDefinitions() {
        return Stream.of(
                Arguments.of(new Sgd(0.1), "sgd:lr=0.1"),
                Arguments.of(new Nesterovs(0.05, 0.9), "nesterov:lr=0.05,momentum=0.9"),
                Arguments.of(new AdaGrad(0.1, 1e-6), "adagrad:lr=0.1,eps=1e-6,initial-accumulator=1e-6"),
                Arguments.of(new Adam(0.01, 0.9, 0.999, 1e-16), "adam:lr=0.01,beta1=0.9,beta2=0.999,eps=1e-16"),
                Arguments.of(new RmsProp(0.01, 0.95, 1e-16), "rmsprop:lr=0.01,alpha=0.95,eps=1e-16"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("sameDefinitions")
    void reproducesDl4jsOwnUpdaterOverAHundredIterations(IUpdater dl4j, String spec) {
        MultiLayerNetwork reference = Networks.mlp(dl4j);
        MultiLayerNetwork ours = L2oUpdater.attach(Networks.mlp(new L2oUpdater(spec)));
        assertArrayEquals(reference.params().toDoubleVector(), ours.params().toDoubleVector(), 0.0,
                "the two networks start from different parameters");
        for (int i = 0; i < 100; i++) {
            reference.fit(DATA);
            ours.fit(DATA);
        }
        assertClose(reference.params().toDoubleVector(), ours.params().toDoubleVector(), 1e-6, spec);
        assertTrue(ours.score() < 0.5 * Networks.mlp(dl4j).score(DATA), "did not train: " + ours.score());
    }

    @Test
    void reproducesDl4jsAdamInAComputationGraph() {
        ComputationGraph reference = Networks.graph(new Adam(0.01, 0.9, 0.999, 1e-16));
        ComputationGraph ours = L2oUpdater.attach(Networks.graph(new L2oUpdater("adam:lr=0.01,eps=1e-16")));
        for (int i = 0; i < 50; i++) {
            reference.fit(DATA);
            ours.fit(DATA);
        }
        assertClose(reference.params().toDoubleVector(), ours.params().toDoubleVector(), 1e-6, "graph adam");
    }

    @Test
    void dl4jsAdamPutsEpsOutsideTheBiasCorrection() {
        // with DL4J's default eps the definitions differ measurably early on: DL4J divides by
        // sqrt(v) + eps where PyTorch (and l2o) divide by sqrt(v / (1 - beta2^t)) + eps
        MultiLayerNetwork reference = Networks.mlp(new Adam(0.01, 0.9, 0.999, 1e-1));
        MultiLayerNetwork ours = L2oUpdater.attach(Networks.mlp(new L2oUpdater("adam:lr=0.01,eps=1e-1")));
        reference.fit(DATA);
        ours.fit(DATA);
        double[] a = reference.params().toDoubleVector();
        double[] b = ours.params().toDoubleVector();
        assertTrue(relativeDistance(a, b) > 1e-6, "expected the eps placement to show");
    }

    @Test
    void splitsAFusedBlockIntoItsParameterTensorsAndPassesTheLoss() {
        Recording rule = new Recording();
        MultiLayerNetwork net = L2oUpdater.attach(Networks.mlp(L2oUpdater.of(rule)));
        List<UpdaterBlock> blocks = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks();
        assertEquals(1, blocks.size(), "DL4J should fuse the four tensors with equal updaters into one block");
        for (int i = 0; i < 3; i++) {
            net.fit(DATA);
            assertEquals(net.score(), rule.values.get(i), 0.0, "the rule did not see this step's loss");
        }
        ParameterLayout layout = rule.layouts.get(0);
        assertEquals(List.of("layer0_W", "layer0_b", "layer1_W", "layer1_b"), layout.groups().stream().map(CoordinateGroup::name).toList());
        assertEquals(List.of(Networks.INPUTS, Networks.HIDDEN), layout.groups().get(0).shape());
        assertEquals(Networks.HIDDEN * Networks.CLASSES, layout.groups().get(2).size());
        assertEquals(net.numParams(), layout.dimension());
        // the rule saw the network's own parameters, in DL4J's flat order
        assertArrayEquals(rule.firstX, Networks.mlp(L2oUpdater.of(rule)).params().toDoubleVector(), 0.0);
    }

    @Test
    void aLayerWithItsOwnUpdaterGetsItsOwnBlock() {
        Recording rule = new Recording();
        MultiLayerNetwork net = new MultiLayerNetwork(Networks.mlpConfiguration(L2oUpdater.of(rule), new Adam(0.01)));
        net.init();
        L2oUpdater.attach(net);
        net.fit(DATA);
        assertEquals(List.of("layer0_W", "layer0_b"), rule.layouts.get(0).groups().stream().map(CoordinateGroup::name).toList());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"adam:lr=0.01", "learned:mnist-v1"})
    void aRestoredNetworkContinuesExactlyAsAnUninterruptedOne(String spec, @TempDir Path dir) throws Exception {
        MultiLayerNetwork uninterrupted = L2oUpdater.attach(Networks.mlp(new L2oUpdater(spec)));
        MultiLayerNetwork first = L2oUpdater.attach(Networks.mlp(new L2oUpdater(spec)));
        for (int i = 0; i < 10; i++) {
            uninterrupted.fit(DATA);
            first.fit(DATA);
        }
        File saved = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(first, saved, true);
        MultiLayerNetwork restored = L2oUpdater.attach(ModelSerializer.restoreMultiLayerNetwork(saved, true));
        assertEquals(new L2oUpdater(spec), ((BaseLayer) restored.getLayerWiseConfigurations().getConf(0).getLayer())
                .getIUpdater());
        for (int i = 0; i < 10; i++) {
            uninterrupted.fit(DATA);
            restored.fit(DATA);
        }
        assertArrayEquals(uninterrupted.params().toDoubleVector(), restored.params().toDoubleVector(), 0.0);

        // without its updater state the restored network takes different (a fresh optimizer's) steps
        MultiLayerNetwork fresh = L2oUpdater.attach(ModelSerializer.restoreMultiLayerNetwork(saved, false));
        fresh.fit(DATA);
        MultiLayerNetwork again = L2oUpdater.attach(ModelSerializer.restoreMultiLayerNetwork(saved, true));
        again.fit(DATA);
        assertNotEquals(relativeDistance(fresh.params().toDoubleVector(), again.params().toDoubleVector()), 0.0);
    }

    @Test
    void configurationsSurviveTheirJsonRoundTrip() {
        MultiLayerConfiguration conf = Networks.mlpConfiguration(new L2oUpdater("adagrad:lr=0.05"),
                new L2oUpdater("learned:mnist-v1"));
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        IUpdater u = ((BaseLayer) back.getConf(1).getLayer()).getIUpdater();
        assertEquals("learned:mnist-v1", assertInstanceOf(L2oUpdater.class, u).spec());

        ComputationGraphConfiguration graph = Networks.graphConfiguration(new L2oUpdater("adam:lr=0.01"));
        assertEquals(graph, ComputationGraphConfiguration.fromJson(graph.toJson()));
    }

    @Test
    void aLearnedOptimizerTrainsADl4jNetwork() {
        MultiLayerNetwork net = L2oUpdater.attach(Networks.mlp(new L2oUpdater("learned:mnist-v1")));
        double start = net.score(DATA);
        for (int i = 0; i < 100; i++) {
            net.fit(DATA);
        }
        assertTrue(net.score(DATA) < 0.5 * start, start + " -> " + net.score(DATA));
    }

    @Test
    void anUnattachedNetworkFailsWithAHint() {
        MultiLayerNetwork net = Networks.mlp(new L2oUpdater("adam:lr=0.01"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> net.fit(DATA));
        assertTrue(causes(e).contains("L2oUpdater.attach(network)"), causes(e));
    }

    @Test
    void attachingTwiceAddsOneListener() {
        MultiLayerNetwork net = Networks.mlp(new L2oUpdater("adam:lr=0.01"));
        L2oUpdater.attach(L2oUpdater.attach(net));
        assertEquals(1, net.getListeners().size());
    }

    @Test
    void aBadSpecNamesWhatIsWrong() {
        L2oException unknown = assertThrows(L2oException.class, () -> new L2oUpdater("adamw:lr=0.1"));
        assertTrue(unknown.getMessage().contains("adamw"), unknown.getMessage());
        L2oException bad = assertThrows(L2oException.class, () -> new L2oUpdater("adam:lr=-1"));
        assertTrue(bad.getMessage().contains("lr"), bad.getMessage());
    }

    @Test
    void aLineSearchSaysItCannotRunInsideDl4j() {
        MultiLayerNetwork net = L2oUpdater.attach(Networks.mlp(new L2oUpdater("lbfgs")));
        RuntimeException e = assertThrows(RuntimeException.class, () -> net.fit(DATA));
        assertTrue(causes(e).contains("line search"), causes(e));
    }

    @Test
    void theStepSizeLivesInTheSpec() {
        var e = assertThrows(UnsupportedOperationException.class,
                () -> new L2oUpdater("adam:lr=0.01").setLrAndSchedule(0.1, null));
        assertTrue(e.getMessage().contains("SPEC"), e.getMessage());
    }

    private static String causes(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            s.append(t).append(" | ");
        }
        return s.toString();
    }

    private static double relativeDistance(double[] a, double[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += a[i] * a[i];
        }
        return Math.sqrt(diff / norm);
    }

    private static void assertClose(double[] expected, double[] actual, double relative, String what) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= relative * scale, what + ": largest difference " + worst + " against largest parameter "
                + scale);
    }

    /** SGD that records what it is given: the layouts it starts on, the values it sees, its first iterate. */
    private static final class Recording implements UpdateRule {
        final List<ParameterLayout> layouts = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        double[] firstX;

        @Override
        public String spec() {
            return "sgd:lr=0.05";
        }

        @Override
        public RuleState init(ParameterLayout layout) {
            layouts.add(layout);
            return new RuleState() {
            };
        }

        @Override
        public Step step(Observation o, RuleState state) {
            values.add(o.value());
            if (firstX == null) {
                firstX = o.x().toDoubleVector();
            }
            return new Step(o.gradient().mul(-0.05), state);
        }
    }
}
