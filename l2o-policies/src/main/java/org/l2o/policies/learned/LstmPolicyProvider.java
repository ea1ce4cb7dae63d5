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
                ParameterSpec.real("forget-bias", 1.0, "constant added to the forget gate"));
    }

    private static int[] layers(Config config) {
        List<Integer> l = config.getIntList("layers");
        if (l.isEmpty() || l.contains(0)) {
            throw new ConfigurationException("coordinatewise-policy 'lstm-coordinatewise': invalid value '"
                    + config.text().get("layers") + "' for parameter 'layers': expected one or more sizes >= 1");
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public CoordinatewisePolicy create(Config config, RandomGenerator random) {
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
        int expected = LstmPolicy.parameterCount(hidden, logSign);
        if (parameters.length() != expected) {
            throw new DataFormatException("lstm-coordinatewise: " + parameters.length() + " parameters, expected "
                    + expected);
        }
        return new LstmPolicy(hidden, logSign, config.getDouble("p"), config.getDouble("output-scale"),
                config.getDouble("forget-bias"), parameters.toDoubleVector());
    }
}
