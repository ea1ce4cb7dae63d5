package org.l2o.policies.learned;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.DataFormatException;
import org.l2o.api.ParameterSpec;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.update.DifferentiablePolicy;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.PolicyProvider;
import org.l2o.api.update.UpdateRule;
import org.l2o.kernels.PolicyRule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The policy class of Li and Malik 2016 (Li & Malik 2016, the policy): one hidden layer (50 softplus units by
 * default), linear output, a fixed state-independent covariance. With {@code zero-centred} the mean
 * is {@code mlp(o) - mlp(0)}, so an all-zero history gives a zero step: the GPS findings found that
 * without it the learned optimizer stalls where its own output vanishes, not where the gradient does.
 */
public final class MlpPolicyProvider implements PolicyProvider {

    @Override
    public String id() {
        return "mlp";
    }

    @Override
    public String description() {
        return "one-hidden-layer MLP policy with linear output and fixed covariance (Li & Malik 2016)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("hidden", 50, "hidden units").range(1, 100_000),
                ParameterSpec.choice("activation", List.of("softplus", "relu", "tanh"), "hidden nonlinearity"),
                ParameterSpec.real("init-scale", 1.0, "weights start ~ N(0, (scale^2) / fan-in)").positive(),
                ParameterSpec.real("variance", 0.1, "initial action variance (diagonal covariance)").positive(),
                ParameterSpec.flag("zero-centred", true, "subtract the output at all-zero features"));
    }

    @Override
    public DifferentiablePolicy create(Config config, int inputSize, int actionSize, RandomGenerator random) {
        int hidden = config.getInt("hidden");
        double scale = config.getDouble("init-scale");
        double[] w1 = gaussian(random, inputSize * hidden, scale / Math.sqrt(inputSize));
        double[] w2 = gaussian(random, hidden * actionSize, scale / Math.sqrt(hidden));
        double[] p = new double[w1.length + hidden + w2.length + actionSize];
        System.arraycopy(w1, 0, p, 0, w1.length);
        System.arraycopy(w2, 0, p, w1.length + hidden, w2.length);
        return new MlpPolicy(inputSize, hidden, actionSize, activation(config), config.getBoolean("zero-centred"),
                Nd4j.createFromArray(p), Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, inputSize),
                Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.DOUBLE, inputSize),
                Nd4j.eye(actionSize).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).muli(config.getDouble("variance")));
    }

    @Override
    public DifferentiablePolicy restore(Config config, int inputSize, int actionSize, Map<String, INDArray> weights) {
        int hidden = config.getInt("hidden");
        long expected = (long) inputSize * hidden + hidden + (long) hidden * actionSize + actionSize;
        INDArray p = require(weights, "parameters", expected);
        INDArray shift = require(weights, "input-shift", inputSize);
        INDArray scale = require(weights, "input-scale", inputSize);
        INDArray cov = require(weights, "covariance", (long) actionSize * actionSize).reshape(actionSize, actionSize);
        return new MlpPolicy(inputSize, hidden, actionSize, activation(config), config.getBoolean("zero-centred"),
                p.reshape(p.length()), shift.reshape(inputSize), scale.reshape(inputSize), cov);
    }

    private static INDArray require(Map<String, INDArray> weights, String name, long length) {
        INDArray a = weights.get(name);
        if (a == null) {
            throw new DataFormatException("mlp policy: missing weight array '" + name + "'");
        }
        if (a.length() != length) {
            throw new DataFormatException("mlp policy: weight array '" + name + "' has " + a.length()
                    + " values, expected " + length);
        }
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    }

    private static MlpPolicy.Activation activation(Config config) {
        return MlpPolicy.Activation.valueOf(config.getString("activation").toUpperCase(Locale.ROOT));
    }

    private static double[] gaussian(RandomGenerator r, int n, double std) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = std * r.nextGaussian();
        }
        return v;
    }

    /** The policy's mean action on the optimizer's features as the step ({@link PolicyRule}). */
    @Override
    public UpdateRule rule(String name, LearnedOptimizer optimizer, Optional<FeatureMap> features) {
        FeatureMap map = features.orElseThrow(() -> new DataFormatException(name + ": policy '" + id()
                + "' needs a feature map and the learned optimizer names none"));
        DifferentiablePolicy policy = restore(configure(optimizer.policyParameters()), optimizer.inputSize(),
                optimizer.actionSize(), optimizer.weights());
        return new PolicyRule(name, map, policy);
    }
}
