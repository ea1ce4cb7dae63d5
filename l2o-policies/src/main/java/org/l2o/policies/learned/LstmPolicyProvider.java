package org.l2o.policies.learned;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DataFormatException;
import org.l2o.api.ParameterSpec;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.UpdateRule;
import org.l2o.kernels.CoordinatewiseRule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The coordinatewise LSTM of Andrychowicz et al. 2016 (the coordinatewise LSTM, gradient preprocessing). Defaults follow the paper
 * (two layers of 20, log/sign preprocessing with p = 10, output scale 0.1); the public code's
 * setting is {@code p=5,output-scale=0.01}. Weights start ~ N(0, 1/fan-in), biases at 0.
 */
public final class LstmPolicyProvider implements CoordinatewisePolicyProvider {

    @Override
    public String id() {
        return "lstm-coordinatewise";
    }

    @Override
    public String description() {
        return "coordinatewise two-layer LSTM optimizer network (Andrychowicz et al. 2016)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.intList("layers", "20,20", "LSTM layer sizes"),
                ParameterSpec.choice("preprocess", List.of("log-sign", "none"), "gradient preprocessing"),
                ParameterSpec.real("p", 10, "log/sign preprocessing parameter (paper 10, public code 5)").positive(),
                ParameterSpec.integer("inputs", 1, "inputs per coordinate: 1 for the gradient, 3 for the observation "
                        + "features of Li & Malik 2017 (feature map lm2017; needs preprocess=none)").range(1, 1000),
                ParameterSpec.text("input-scale", "none", "fixed multipliers of the inputs, one per input, comma-separated "
                        + "(none: 1; the gps-groups trainer sets them from its first samples)"),
                ParameterSpec.real("output-scale", 0.1, "multiplier of the network output").positive(),
                ParameterSpec.real("forget-bias", 1.0, "constant added to the forget gate"),
                ParameterSpec.choice("networks", List.of("shared", "per-group", "weights-and-biases"),
                        "one network for all coordinates, one per coordinate group, or one for weight matrices "
                                + "and one for vectors"),
                ParameterSpec.integer("groups", 4, "coordinate groups of the optimizee, for networks=per-group")
                        .range(1, 100_000));
    }

    private static int[] layers(Config config) {
        List<Integer> l = config.getIntList("layers");
        if (l.isEmpty() || l.contains(0)) {
            throw new ConfigurationException("coordinatewise-policy 'lstm-coordinatewise': invalid value '"
                    + config.text().get("layers") + "' for parameter 'layers': expected one or more sizes >= 1");
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean logSign(Config config) {
        boolean logSign = config.getString("preprocess").equals("log-sign");
        if (logSign && config.getInt("inputs") != 1) {
            throw new ConfigurationException("coordinatewise-policy 'lstm-coordinatewise': inputs="
                    + config.getInt("inputs") + " needs preprocess=none (log-sign preprocesses one gradient)");
        }
        return logSign;
    }

    /** The input multipliers, or null when none are given. */
    private static double[] inputScale(Config config) {
        String text = config.getString("input-scale").strip();
        if (text.equals("none")) {
            return null;
        }
        String[] parts = text.split(",");
        double[] out = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Double.parseDouble(parts[i].strip());
                if (!Double.isFinite(out[i])) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new ConfigurationException("coordinatewise-policy 'lstm-coordinatewise': invalid value '" + text
                    + "' for parameter 'input-scale': expected finite numbers separated by commas");
        }
        if (out.length != config.getInt("inputs") || logSign(config)) {
            throw new ConfigurationException("coordinatewise-policy 'lstm-coordinatewise': parameter 'input-scale' needs "
                    + "preprocess=none and one value per input (" + config.getInt("inputs") + "), got '" + text + "'");
        }
        return out;
    }

    /** Width of the first layer's input. */
    private static int width(Config config) {
        return logSign(config) ? 2 : config.getInt("inputs");
    }

    /** Networks the configuration asks for: 1 when shared. */
    private static int networks(Config config) {
        return switch (config.getString("networks")) {
            case "per-group" -> config.getInt("groups");
            case "weights-and-biases" -> 2;
            default -> 1;
        };
    }

    private static CoordinatewisePolicy combine(Config config, List<CoordinatewisePolicy> nets) {
        if (nets.size() == 1) {
            return nets.get(0);
        }
        GroupedPolicy.Assignment a = config.getString("networks").equals("per-group")
                ? GroupedPolicy.Assignment.PER_GROUP : GroupedPolicy.Assignment.WEIGHTS_AND_BIASES;
        return new GroupedPolicy(nets, a, null);
    }

    @Override
    public CoordinatewisePolicy create(Config config, RandomGenerator random) {
        List<CoordinatewisePolicy> nets = new java.util.ArrayList<>();
        for (int k = 0; k < networks(config); k++) {
            nets.add(fresh(config, random));
        }
        return combine(config, nets);
    }

    /** One network with weights ~ N(0, 1/fan-in), biases 0, drawn from {@code random}. */
    private static CoordinatewisePolicy fresh(Config config, RandomGenerator random) {
        int[] hidden = layers(config);
        boolean logSign = logSign(config);
        double[] p = new double[LstmPolicy.parameterCount(hidden, width(config))];
        int off = 0;
        int in = width(config);
        for (int h : hidden) {
            for (int i = 0; i < 4 * h * in; i++) {
                p[off++] = random.nextGaussian() / Math.sqrt(in);
            }
            for (int i = 0; i < 4 * h * h; i++) {
                p[off++] = random.nextGaussian() / Math.sqrt(h);
            }
            off += 4 * h;
            in = h;
        }
        for (int i = 0; i < in; i++) {
            p[off++] = random.nextGaussian() / Math.sqrt(in);
        }
        return new LstmPolicy(hidden, logSign, config.getDouble("p"), config.getInt("inputs"), inputScale(config),
                config.getDouble("output-scale"), config.getDouble("forget-bias"), p);
    }

    @Override
    public CoordinatewisePolicy restore(Config config, INDArray parameters) {
        int[] hidden = layers(config);
        boolean logSign = logSign(config);
        int each = LstmPolicy.parameterCount(hidden, width(config));
        int count = networks(config);
        if (parameters.length() != (long) each * count) {
            throw new DataFormatException("lstm-coordinatewise: " + parameters.length() + " parameters, expected "
                    + (long) each * count + (count > 1 ? " (" + count + " networks of " + each + ")" : ""));
        }
        double[] all = org.l2o.api.DenseVectors.read(parameters);
        double[] scale = inputScale(config);
        List<CoordinatewisePolicy> nets = new java.util.ArrayList<>();
        for (int k = 0; k < count; k++) {
            nets.add(new LstmPolicy(hidden, logSign, config.getDouble("p"), config.getInt("inputs"), scale,
                    config.getDouble("output-scale"), config.getDouble("forget-bias"),
                    java.util.Arrays.copyOfRange(all, k * each, (k + 1) * each)));
        }
        return combine(config, nets);
    }

    /**
     * The network on every coordinate ({@link CoordinatewiseRule}), fed the optimizer's per-coordinate
     * features, or the gradient where it names no feature map.
     */
    @Override
    public UpdateRule rule(String name, LearnedOptimizer optimizer, Optional<FeatureMap> features) {
        INDArray w = optimizer.weights().get("parameters");
        if (w == null) {
            throw new DataFormatException(name + ": no 'parameters' weight array");
        }
        CoordinatewiseInputs inputs = null;
        if (features.isPresent()) {
            if (!(features.get() instanceof CoordinatewiseInputs ci)) {
                throw new DataFormatException(name + ": feature map '" + optimizer.featureMap()
                        + "' gives no per-coordinate inputs for coordinatewise policy '" + id() + "'");
            }
            inputs = ci;
        }
        return CoordinatewiseRule.of(name, restore(configure(optimizer.policyParameters()), w), inputs);
    }
}
