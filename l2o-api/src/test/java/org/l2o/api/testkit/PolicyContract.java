package org.l2o.api.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.l2o.api.Seeds;
import org.l2o.api.update.DifferentiablePolicy;
import org.l2o.api.update.PolicyProvider;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Contract tests for policy classes: parameter and input gradients agree with finite differences,
 * creation is deterministic under a seed, and restoring from {@code weights()} gives the same policy.
 */
public abstract class PolicyContract extends ProviderContract<PolicyProvider> {

    protected int inputSize() {
        return 7;
    }

    protected int actionSize() {
        return 3;
    }

    protected DifferentiablePolicy policy(long seed) {
        return provider().create(provider().configure(parameters()), inputSize(), actionSize(), Seeds.generator(seed));
    }

    static INDArray gaussian(RandomGenerator r, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape(rows, cols);
    }

    /** A policy with input normalisation and perturbed parameters, so no term is trivially zero. */
    protected DifferentiablePolicy generic() {
        RandomGenerator r = Seeds.generator(4);
        DifferentiablePolicy p = policy(1);
        return p.withInputNormalization(gaussian(r, 1, inputSize()), gaussian(r, 1, inputSize()).mul(0.3).addi(1.0))
                .withParameters(p.parameters().add(gaussian(r, 1, (int) p.parameters().length()).mul(0.05)
                        .reshape(p.parameters().length())));
    }

    @Test
    void parameterGradientMatchesFiniteDifferences() {
        DifferentiablePolicy p = generic();
        RandomGenerator r = Seeds.generator(5);
        INDArray x = gaussian(r, 4, inputSize());
        INDArray g = gaussian(r, 4, actionSize());
        INDArray grad = p.parameterGradient(x, g);
        FiniteDifferences.check(theta -> p.withParameters(theta).mean(x).mul(g).sumNumber().doubleValue(),
                p.parameters(), grad, 60, 1e-6, r, provider().id() + " parameter gradient");
    }

    @Test
    void fusedMeanAndGradientAgreeWithSeparateCalls() {
        DifferentiablePolicy p = generic();
        RandomGenerator r = Seeds.generator(9);
        INDArray x = gaussian(r, 6, inputSize());
        INDArray g = gaussian(r, 6, actionSize());
        INDArray[] fused = p.meanAndParameterGradient(x, mu -> g);
        assertArrayEquals(p.mean(x).data().asDouble(), fused[0].data().asDouble(), 1e-12);
        assertArrayEquals(p.parameterGradient(x, g).toDoubleVector(), fused[1].toDoubleVector(), 1e-12);
    }

    @Test
    void inputGradientMatchesFiniteDifferences() {
        DifferentiablePolicy p = generic();
        RandomGenerator r = Seeds.generator(6);
        INDArray x = gaussian(r, 1, inputSize());
        INDArray g = gaussian(r, 1, actionSize());
        INDArray grad = p.inputGradient(x, g).reshape(inputSize());
        FiniteDifferences.check(v -> p.mean(v.reshape(1, inputSize())).mul(g).sumNumber().doubleValue(),
                x.reshape(inputSize()), grad, 60, 1e-6, r, provider().id() + " input gradient");
    }

    @Test
    void creationIsDeterministicAndRestoreRoundTrips() {
        DifferentiablePolicy a = policy(3);
        DifferentiablePolicy b = policy(3);
        assertArrayEquals(a.parameters().toDoubleVector(), b.parameters().toDoubleVector(), 0.0);
        DifferentiablePolicy p = generic().withCovariance(Nd4j.eye(actionSize()).castTo(
                org.nd4j.linalg.api.buffer.DataType.DOUBLE).muli(0.7));
        DifferentiablePolicy q = provider().restore(provider().configure(parameters()), inputSize(), actionSize(),
                p.weights());
        INDArray x = gaussian(Seeds.generator(8), 5, inputSize());
        assertArrayEquals(p.mean(x).data().asDouble(), q.mean(x).data().asDouble(), 0.0);
        assertArrayEquals(p.covariance().data().asDouble(), q.covariance().data().asDouble(), 0.0);
        assertEquals(actionSize(), q.actionSize());
    }
}
