package org.l2o.lopt;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DataFormatException;
import org.l2o.api.DenseVectors;
import org.l2o.api.ParameterSpec;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.PolicyCapability;
import org.l2o.api.update.UpdateRule;
import org.l2o.kernels.CoordinatewiseRule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code mlp-lopt} policy class ({@link MlpLopt}): a per-coordinate MLP with a nominal
 * hand-designed term, run on the {@code lopt} features. Initialisation: hidden weights ~ N(0,
 * 1/fan-in), biases 0, the output layer and the schedule at 0, so a fresh optimizer takes exactly
 * the nominal rule's steps at {@code nominal-lr} (the constants alpha = beta = 0.001 of Metz et
 * al. keep the learned part's first steps tiny and smooth in its weights).
 */
public final class MlpLoptProvider implements CoordinatewisePolicyProvider {

    @Override
    public String id() {
        return "mlp-lopt";
    }

    @Override
    public String description() {
        return "per-coordinate MLP learned optimizer with a nominal AdaGrad/Adam term and a learned step-size "
                + "schedule, on the lopt features";
    }

    @Override
    public Set<PolicyCapability> capabilities() {
        return Set.of(PolicyCapability.COORDINATEWISE, PolicyCapability.DIFFERENTIABLE);
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.intList("hidden", "32,32", "hidden layer widths of the per-coordinate MLP (ReLU)"),
                ParameterSpec.flag("per-coordinate", true, "whether there is a per-coordinate MLP at all "
                        + "(false: only the nominal term with its learned schedule, a learned step-size schedule)"),
                ParameterSpec.choice("nominal", List.of("adagrad", "adam", "momentum", "none"),
                        "hand-designed direction the step contains, scaled by the learned schedule (momentum: the "
                                + "heavy ball of lopt's nominal-momentum)"),
                ParameterSpec.real("nominal-lr", 0.1, "step size of the nominal term before the learned schedule "
                        + "(set it to the baseline's tuned step size)").positive(),
                ParameterSpec.real("alpha", 1e-3, "magnitude scale: step d exp(alpha m) beta").positive(),
                ParameterSpec.real("beta", 1e-3, "step scale: step d exp(alpha m) beta").positive(),
                ParameterSpec.flag("parameter-scale", false, "multiply the learned step by the tensor's parameter RMS "
                        + "(VeLO)"),
                ParameterSpec.flag("normalise-output", false, "divide d by its RMS over the tensor (Celo2)"),
                ParameterSpec.integer("inputs", 23, "MLP inputs per coordinate: the feature map's channels before "
                        + "its 3 raw ones (lopt's defaults give 12 normalised + 11 time features)").range(1, 10_000),
                ParameterSpec.integer("time-features", 11, "how many of the inputs, at their end, are time features "
                        + "(the schedule reads them)").range(0, 10_000));
    }

    static MlpLopt.Shape shape(Config config) {
        List<Integer> hidden = config.getIntList("hidden");
        if (hidden.contains(0)) {
            throw new ConfigurationException("policy 'mlp-lopt': invalid value '" + config.text().get("hidden")
                    + "' for parameter 'hidden': layer widths must be >= 1");
        }
        int inputs = config.getInt("inputs");
        int time = config.getInt("time-features");
        if (time > inputs) {
            throw new ConfigurationException("policy 'mlp-lopt': time-features=" + time + " exceeds inputs=" + inputs);
        }
        return new MlpLopt.Shape(inputs, time, hidden.stream().mapToInt(Integer::intValue).toArray(),
                config.getBoolean("per-coordinate"),
                MlpLopt.Nominal.valueOf(config.getString("nominal").toUpperCase(Locale.ROOT)),
                config.getDouble("nominal-lr"), config.getDouble("alpha"), config.getDouble("beta"),
                config.getBoolean("parameter-scale"), config.getBoolean("normalise-output"));
    }

    @Override
    public CoordinatewisePolicy create(Config config, RandomGenerator random) {
        MlpLopt.Shape s = shape(config);
        double[] p = new double[s.parameterCount()];
        if (s.perCoordinate()) {
            int[] w = s.widths();
            int off = s.scheduleSize();
            for (int l = 0; l + 1 < w.length; l++) {
                boolean output = l + 2 == w.length;
                for (int i = 0; i < w[l] * w[l + 1]; i++) {
                    p[off++] = output ? 0 : random.nextGaussian() / Math.sqrt(w[l]);
                }
                off += w[l + 1];
            }
        }
        return new MlpLopt(s, p, null);
    }

    @Override
    public CoordinatewisePolicy restore(Config config, INDArray parameters) {
        MlpLopt.Shape s = shape(config);
        if (parameters.length() != s.parameterCount()) {
            throw new DataFormatException("mlp-lopt: " + parameters.length() + " parameters, expected "
                    + s.parameterCount() + " for this configuration");
        }
        double[] p = DenseVectors.read(parameters);
        for (double v : p) {
            if (!Double.isFinite(v)) {
                throw new DataFormatException("mlp-lopt: a parameter is not finite");
            }
        }
        return new MlpLopt(s, p, null);
    }

    /**
     * The network on every coordinate, fed its feature map's inputs; the feature map must give the
     * channels the configuration reads where it reads them (time features at the end of the inputs,
     * then {@code raw.adagrad}, {@code raw.adam}, {@code raw.parameter-rms}).
     */
    @Override
    public UpdateRule rule(String name, LearnedOptimizer optimizer, Optional<FeatureMap> features) {
        INDArray w = optimizer.weights().get("parameters");
        if (w == null) {
            throw new DataFormatException(name + ": no 'parameters' weight array");
        }
        Config config = configure(optimizer.policyParameters());
        if (features.isEmpty() || !(features.get() instanceof CoordinatewiseInputs inputs)) {
            throw new DataFormatException(name + ": policy 'mlp-lopt' needs per-coordinate features such as 'lopt', "
                    + "the optimizer names '" + optimizer.featureMap() + "'");
        }
        check(shape(config), inputs, name);
        return CoordinatewiseRule.of(name, restore(config, w), inputs);
    }

    /** Refuses a feature map whose channels are not where the shape reads them. */
    static void check(MlpLopt.Shape shape, CoordinatewiseInputs inputs, String name) {
        List<String> c = inputs.channels();
        List<String> raw = new java.util.ArrayList<>(List.of("raw.adagrad", "raw.adam", "raw.parameter-rms"));
        if (shape.nominal() == MlpLopt.Nominal.MOMENTUM) {
            raw.add("raw.momentum");
        }
        String problem = null;
        if (c.contains("raw.momentum") != raw.contains("raw.momentum")) {
            problem = raw.contains("raw.momentum") ? "has no heavy-ball direction raw.momentum for nominal=momentum (set "
                    + "its nominal-momentum)" : "has a heavy-ball direction raw.momentum, which only nominal=momentum reads";
        } else if (c.size() != shape.channels()) {
            problem = "gives " + c.size() + " channels, the policy reads " + shape.inputs() + " inputs + " + raw.size()
                    + " raw";
        } else if (!c.subList(shape.inputs(), c.size()).equals(raw)) {
            problem = "does not end with " + String.join(", ", raw);
        } else {
            for (int k = shape.inputs() - shape.time(); k < shape.inputs(); k++) {
                if (!c.get(k).startsWith("time@")) {
                    problem = "has '" + c.get(k) + "' where the policy expects time feature " + k;
                    break;
                }
            }
        }
        if (problem != null) {
            throw new ConfigurationException(name + ": the feature map " + problem
                    + " (set the policy's inputs and time-features to the map's channels)");
        }
    }
}
