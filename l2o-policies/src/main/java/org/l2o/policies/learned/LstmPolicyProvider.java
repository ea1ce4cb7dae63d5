package org.l2o.policies.learned;

import java.util.List;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DataFormatException;
import org.l2o.api.ParameterSpec;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The coordinatewise LSTM of Andrychowicz et al. 2016 (spec 4.1-4.2). Defaults follow the paper
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
        boolean logSign = config.getString("preprocess").equals("log-sign");
        double[] p = new double[LstmPolicy.parameterCount(hidden, logSign)];
        int off = 0;
        int in = logSign ? 2 : 1;
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
        return new LstmPolicy(hidden, logSign, config.getDouble("p"), config.getDouble("output-scale"),
                config.getDouble("forget-bias"), p);
    }

    @Override
    public CoordinatewisePolicy restore(Config config, INDArray parameters) {
        int[] hidden = layers(config);
        boolean logSign = config.getString("preprocess").equals("log-sign");
        int each = LstmPolicy.parameterCount(hidden, logSign);
        int count = networks(config);
        if (parameters.length() != (long) each * count) {
            throw new DataFormatException("lstm-coordinatewise: " + parameters.length() + " parameters, expected "
                    + (long) each * count + (count > 1 ? " (" + count + " networks of " + each + ")" : ""));
        }
        double[] all = org.l2o.api.DenseVectors.read(parameters);
        List<CoordinatewisePolicy> nets = new java.util.ArrayList<>();
        for (int k = 0; k < count; k++) {
            nets.add(new LstmPolicy(hidden, logSign, config.getDouble("p"), config.getDouble("output-scale"),
                    config.getDouble("forget-bias"), java.util.Arrays.copyOfRange(all, k * each, (k + 1) * each)));
        }
        return combine(config, nets);
    }
}
