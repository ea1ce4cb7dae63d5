package org.l2o.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.testkit.ObjectiveContract;
import org.l2o.objectives.mlp.MlpClassifierProvider;
import org.nd4j.linalg.api.ndarray.INDArray;

class MlpClassifierTest {

    static Objective objective(Map<String, String> params, Optional<Path> dataDir) {
        MlpClassifierProvider p = new MlpClassifierProvider();
        return p.create(p.configure(params), new CreationContext(dataDir, 0)).test(0, 0);
    }

    /** Contract on the embedded MNIST subset, small net; one nested class per activation. */
    abstract static class Contract extends ObjectiveContract {
        abstract String activation();

        @Override
        protected ObjectiveProvider provider() {
            return new MlpClassifierProvider();
        }

        @Override
        protected Map<String, String> parameters() {
            return Map.of("project", "8", "hidden", "6,5", "batch", "16", "eval-samples", "300",
                    "activation", activation());
        }

        @Override
        protected boolean randomFamily() {
            return false; // one dataset and net; objectives differ only in start and minibatches
        }
    }

    @Nested
    class Tanh extends Contract {
        @Override
        String activation() {
            return "tanh";
        }
    }

    @Nested
    class Sigmoid extends Contract {
        @Override
        String activation() {
            return "sigmoid";
        }
    }

    /** An evaluation set of several chunks (the last one partial) and minibatches larger than a chunk. */
    @Nested
    class Chunked extends Contract {
        @Override
        String activation() {
            return "tanh";
        }

        @Override
        protected Map<String, String> parameters() {
            return Map.of("project", "6", "hidden", "4", "batch", "1500", "eval-samples", "2500",
                    "activation", activation());
        }
    }

    /** Single precision (whose losses are too coarse for central differences) against double. */
    @Test
    void singleAndDoublePrecisionAgree() {
        Map<String, String> params = Map.of("project", "20", "hidden", "16", "batch", "64", "eval-samples", "500");
        Objective d = objective(params, Optional.empty());
        Map<String, String> single = new java.util.HashMap<>(params);
        single.put("precision", "float");
        Objective f = objective(single, Optional.empty());
        INDArray x = d.initialPoint(Seeds.generator(3));
        var ed = d.evaluate(x);
        var ef = f.evaluate(x);
        assertEquals(ed.value(), ef.value(), 1e-5 * ed.value());
        double diff = ed.gradient().sub(ef.gradient()).norm2Number().doubleValue();
        assertTrue(diff < 1e-4 * ed.gradient().norm2Number().doubleValue(), "gradient differs by " + diff);
        var md = d.estimate(x, Seeds.generator(4));
        var mf = f.estimate(x, Seeds.generator(4));
        assertEquals(md.value(), mf.value(), 1e-5 * md.value(), "the two draw different minibatches");
    }

    /**
     * The run loop's entry point in single precision, whose weight gradients are converted block
     * by block straight into the caller's buffer (a 64 x 48 layer spans two blocks), and with a
     * strided buffer, which takes the heap path: both give estimate's numbers exactly.
     */
    @Test
    void estimateIntoMatchesEstimateInSinglePrecisionAndIntoStridedBuffers() {
        for (String precision : new String[] {"float", "double"}) {
            Objective f = objective(Map.of("project", "64", "hidden", "48", "batch", "32", "eval-samples", "200",
                    "precision", precision), Optional.empty());
            INDArray x = f.initialPoint(Seeds.generator(5));
            var e = f.estimate(x, Seeds.generator(6));
            INDArray buffer = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, f.dimension());
            assertEquals(e.value(), f.estimateInto(x, Seeds.generator(6), buffer), 0.0, precision);
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.gradient().toDoubleVector(), buffer.toDoubleVector(), 0.0,
                    precision);
            INDArray matrix = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, f.dimension(), 2);
            INDArray column = matrix.getColumn(1);
            assertEquals(e.value(), f.estimateInto(x, Seeds.generator(6), column), 0.0, precision);
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.gradient().toDoubleVector(), column.toDoubleVector(), 0.0,
                    precision + ", strided buffer");
        }
    }

    @Nested
    class Softplus extends Contract {
        @Override
        String activation() {
            return "softplus";
        }
    }

    @Nested
    class Relu extends Contract {
        @Override
        String activation() {
            return "relu";
        }

        @Override
        protected double gradientTolerance() {
            return 1e-4; // a kink may lie within the difference step
        }
    }

    /** Provenance names the data by its content: the same images give the same hash, other images another. */
    @Test
    void dataIdentityHashesTheImagesAsRead() {
        MlpClassifierProvider p = new MlpClassifierProvider();
        var mnist = p.create(p.configure(Map.of("hidden", "4")), CreationContext.defaults()).dataIdentity();
        var again = p.create(p.configure(Map.of("hidden", "8")), CreationContext.defaults()).dataIdentity();
        var fashion = p.create(p.configure(Map.of("dataset", "fashion-mnist")), CreationContext.defaults()).dataIdentity();
        assertTrue(mnist.get("sha256").matches("[0-9a-f]{64}"), mnist.toString());
        assertEquals(mnist, again);
        assertTrue(!mnist.get("sha256").equals(fashion.get("sha256")), fashion.toString());
        assertTrue(mnist.get("dataset").contains("4000 images"), mnist.toString());
    }

    @Test
    void paperParameterCounts() {
        // reproduction check 4 of the papers' quantitative claims: 48-48-10 has 2,842 parameters in 4 groups; 100-200-10 has 22,210
        Objective small = objective(Map.of("project", "48", "hidden", "48", "eval-samples", "100"), Optional.empty());
        assertEquals(2842, small.dimension());
        assertEquals(4, small.layout().groups().size());
        Objective large = objective(Map.of("project", "100", "hidden", "200", "eval-samples", "100"), Optional.empty());
        assertEquals(22_210, large.dimension());
    }

    @Test
    void projectedInputsHaveUnitVariance() {
        // With all weights zero the logits are zero and the loss is log(classes), whatever the inputs.
        Objective f = objective(Map.of("project", "48", "hidden", "48", "eval-samples", "500"), Optional.empty());
        INDArray zero = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, f.dimension());
        assertEquals(Math.log(10), f.value(zero), 1e-12);
        // The minibatch estimate is unbiased: its mean over many batches approaches the full-batch loss.
        INDArray x = f.initialPoint(Seeds.generator(2));
        Objective full = objective(Map.of("project", "48", "hidden", "48"), Optional.empty());
        double mean = 0;
        var r = Seeds.generator(9);
        for (int i = 0; i < 200; i++) {
            mean += full.estimate(x, r).value() / 200;
        }
        assertEquals(full.value(x), mean, 0.05 * full.value(x));
    }

    @Test
    void gradientDescentReducesTheLoss() {
        Objective f = objective(Map.of("project", "16", "hidden", "16", "eval-samples", "1000", "batch", "64"),
                Optional.empty());
        INDArray x = f.initialPoint(Seeds.generator(1));
        double start = f.value(x);
        var r = Seeds.generator(3);
        for (int i = 0; i < 200; i++) {
            x.subi(f.estimate(x, r).gradient().mul(0.5));
        }
        assertTrue(f.value(x) < 0.6 * start, start + " -> " + f.value(x));
    }

    @Test
    void gaussianInitialisationDrawsWeightsAndBiases() {
        Objective f = objective(Map.of("hidden", "20", "init", "gaussian", "init-std", "0.01"), Optional.empty());
        double[] x = f.initialPoint(Seeds.generator(8)).toDoubleVector();
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            sum += v;
            squares += v * v;
        }
        double mean = sum / x.length;
        assertEquals(0.0, mean, 5e-4);
        assertEquals(0.01, Math.sqrt(squares / x.length - mean * mean), 5e-4);
        var b1 = f.layout().groups().get(1);
        assertTrue(x[b1.offset()] != 0.0, "biases are drawn too");
    }

    @Test
    void rejectsZeroSizedLayer() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> objective(Map.of("hidden", "48,0"), Optional.empty()));
        assertTrue(e.getMessage().contains("hidden"), e.getMessage());
    }

    @Test
    void fullMnistAndOtherDatasetsSizeTheOutputLayer() {
        Optional<Path> root = shared();
        assumeTrue(root.isPresent(), "shared datasets not found; skipping");
        Objective fer = objective(Map.of("dataset", "fer2013", "project", "48", "hidden", "48", "eval-samples", "500"),
                root);
        assertEquals(48 * 48 + 48 + 48 * 7 + 7, fer.dimension());
        Objective cifar = objective(Map.of("dataset", "cifar-10", "project", "48", "hidden", "48", "eval-samples", "500"),
                root);
        assertEquals(2842, cifar.dimension());
    }

    /** Path of the shared datasets, or empty (tests needing them skip) when absent. */
    static Optional<Path> shared() {
        Path p = Path.of(System.getProperty("l2o.test.datasets", "../../shared/datasets"));
        return java.nio.file.Files.isDirectory(p.resolve("mnist")) ? Optional.of(p) : Optional.empty();
    }
}
