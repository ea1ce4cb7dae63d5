package org.l2o.policies.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.l2o.api.CreationContext;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.testkit.TestObjectives;
import org.l2o.api.update.Oracle;
import org.l2o.api.update.InPlaceUpdateRule;
import org.l2o.api.update.Observation;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.UpdateRuleProvider;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The vectorised in-place steps against the portable immutable step, bit for bit, for every
 * elementwise rule and each of its variants, on a length that leaves a scalar tail.
 */
class SimdStepsTest {

    static Stream<String> rules() {
        return Stream.of("sgd:lr=0.1", "sgd:lr=0.1,weight-decay=0.01", "momentum:lr=0.05", "momentum:lr=0.05,dampening=0.3",
                "nesterov:lr=0.05,weight-decay=0.1", "adagrad:lr=0.1,lr-decay=0.01,initial-accumulator=0.1",
                "rmsprop:lr=0.01", "rmsprop:lr=0.01,centered=true", "rmsprop:lr=0.01,momentum=0.5,weight-decay=0.01",
                "rmsprop:lr=0.01,centered=true,momentum=0.9", "adam:lr=0.01", "adam:lr=0.01,amsgrad=true,weight-decay=0.1");
    }

    private static InPlaceUpdateRule rule(String spec) {
        String[] parts = spec.split(":");
        UpdateRuleProvider p = switch (parts[0]) {
            case "sgd" -> new SgdProvider();
            case "momentum" -> new MomentumProvider();
            case "nesterov" -> new NesterovProvider();
            case "adagrad" -> new AdagradProvider();
            case "rmsprop" -> new RmspropProvider();
            default -> new AdamProvider();
        };
        var params = new java.util.HashMap<String, String>();
        for (String kv : parts[1].split(",")) {
            params.put(kv.split("=")[0], kv.split("=")[1]);
        }
        return (InPlaceUpdateRule) p.create(p.configure(params), CreationContext.defaults());
    }

    @Test
    void theTestJvmRunsTheVectorisedPath() {
        assertTrue(ElementwiseRule.Simd.ENABLED,
                "jdk.incubator.vector is not readable: the build's test argLine should add it");
    }

    @ParameterizedTest
    @MethodSource("rules")
    void inPlaceStepsMatchThePortableStepBitForBit(String spec) {
        int n = 1_003;
        InPlaceUpdateRule rule = rule(spec);
        SplittableRandom random = new SplittableRandom(spec.hashCode());
        double[] x = random.doubles(n, -1, 1).toArray();
        INDArray live = DenseVectors.of(x);
        Oracle oracle = TestObjectives.oracle(TestObjectives.quadratic(n, 1, 0));
        RuleState portable = rule.init(ParameterLayout.single(n));
        RuleState owned = rule.initInPlace(ParameterLayout.single(n));
        for (int t = 0; t < 25; t++) {
            double[] g = random.doubles(n, -2, 2).toArray();
            g[t] = 0; // zero gradients where a denominator starts at eps
            INDArray gradient = DenseVectors.of(g);
            Step step = rule.step(new Observation(t, DenseVectors.of(x), 0, gradient, oracle), portable);
            portable = step.next();
            double[] dx = DenseVectors.read(step.dx());
            for (int i = 0; i < n; i++) {
                x[i] += dx[i];
            }
            double norm = rule.update(new Observation(t, live, 0, gradient, oracle), owned);
            assertArrayEquals(x, DenseVectors.read(live), 0.0, spec + ": iterate at step " + t);
            assertEquals(DenseVectors.norm2(dx), norm, 1e-12 * norm, spec + ": step norm at step " + t);
            assertArrayEquals(g, DenseVectors.read(gradient), 0.0, spec + ": the gradient was modified");
        }
    }

    @Test
    void aStridedIterateTakesThePortablePathWithTheSameResult() {
        InPlaceUpdateRule rule = rule("adam:lr=0.01");
        INDArray matrix = Nd4j.rand(DataType.DOUBLE, 40, 3);
        INDArray column = matrix.get(NDArrayIndex.all(), NDArrayIndex.point(1));
        assertEquals(null, DenseVectors.nativeBytes(column), "a column of a row-major matrix is strided");
        INDArray copy = column.dup();
        INDArray gradient = Nd4j.rand(DataType.DOUBLE, 40);
        Oracle oracle = TestObjectives.oracle(TestObjectives.quadratic(40, 1, 0));
        RuleState a = rule.initInPlace(ParameterLayout.single(40));
        RuleState b = rule.initInPlace(ParameterLayout.single(40));
        for (int t = 0; t < 3; t++) {
            rule.update(new Observation(t, column, 0, gradient, oracle), a);
            rule.update(new Observation(t, copy, 0, gradient, oracle), b);
        }
        assertArrayEquals(copy.toDoubleVector(), column.toDoubleVector(), 0.0);
        assertArrayEquals(copy.toDoubleVector(), matrix.getColumn(1).toDoubleVector(), 0.0);
    }
}
