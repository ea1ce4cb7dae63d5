package org.l2o.lopt;

import java.util.ArrayList;
import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;

/**
 * The {@code lopt} features: per coordinate, inputs that do not change when the gradient or the
 * parameters of a tensor are scaled (each channel divided by its root mean square over the
 * coordinate group), time features, and the raw directions of AdaGrad and Adam for a nominal term.
 * The inputs follow the per-parameter MLP optimizers of Metz et al. (2020-2022) and VeLO (2022):
 * gradient, parameter, momenta at several decays, a second moment, momentum over its root and the
 * inverse root, and {@code tanh(t / tau)} over time scales from 1 to 10^5 (no horizon input, since
 * test horizons differ from training ones). {@link LoptFeatures} lists the channels.
 */
public final class LoptFeaturesProvider implements FeatureMapProvider {

    @Override
    public String id() {
        return "lopt";
    }

    @Override
    public String description() {
        return "scale-free per-coordinate inputs (tensor-normalised gradient, parameter, momenta, second moment), "
                + "time features and nominal AdaGrad/Adam directions, for mlp-lopt";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.text("decays", "0.5,0.9,0.99,0.999", "momentum decays, comma-separated, each in (0, 1)"),
                ParameterSpec.real("second-moment", 0.999, "decay of the second-moment accumulator v").range(0, 1),
                ParameterSpec.text("timescales", "1,3,10,30,100,300,1000,3000,10000,30000,100000",
                        "tau of the time features tanh(t / tau), comma-separated, each > 0, or 'none'"),
                ParameterSpec.flag("normalise", true, "divide each of the first 2K + 4 channels by its RMS over "
                        + "the tensor (false keeps their absolute scale: an ablation)"),
                ParameterSpec.real("clip", 0, "clip each gradient coordinate at this multiple of its tensor's running "
                        + "RMS before anything else reads it (0: no clipping)").nonNegative(),
                ParameterSpec.real("adam-beta1", 0.9, "beta1 of the nominal Adam direction").range(0, 1),
                ParameterSpec.real("adam-beta2", 0.999, "beta2 of the nominal Adam direction").range(0, 1),
                ParameterSpec.real("adam-eps", 1e-8, "epsilon of the nominal Adam direction").positive(),
                ParameterSpec.real("adagrad-eps", 1e-10, "epsilon of the nominal AdaGrad direction").positive(),
                ParameterSpec.real("nominal-momentum", 0, "momentum coefficient of a heavy-ball direction "
                        + "raw.momentum for mlp-lopt's nominal=momentum (0: no such channel)").range(0, 1));
    }

    @Override
    public FeatureMap create(Config config, CreationContext context) {
        double[] decays = list(config, "decays", true);
        double[] taus = config.getString("timescales").strip().equals("none") ? new double[0]
                : list(config, "timescales", false);
        double v = config.getDouble("second-moment");
        if (v <= 0 || v >= 1) {
            throw invalid(config, "second-moment", "a decay in (0, 1)");
        }
        for (String beta : List.of("adam-beta1", "adam-beta2", "nominal-momentum")) {
            if (config.getDouble(beta) >= 1) {
                throw invalid(config, beta, "a decay in [0, 1)");
            }
        }
        return new LoptFeatures(decays, v, taus, config.getDouble("clip"), config.getBoolean("normalise"),
                config.getDouble("adam-beta1"), config.getDouble("adam-beta2"), config.getDouble("adam-eps"),
                config.getDouble("adagrad-eps"), config.getDouble("nominal-momentum"));
    }

    private static double[] list(Config config, String key, boolean decay) {
        String text = config.getString(key).strip();
        List<Double> out = new ArrayList<>();
        for (String part : text.split(",")) {
            double d;
            try {
                d = Double.parseDouble(part.strip());
            } catch (NumberFormatException e) {
                throw invalid(config, key, decay ? "decays in (0, 1) separated by commas" : "positive numbers "
                        + "separated by commas, or none");
            }
            if (!(d > 0) || !Double.isFinite(d) || (decay && d >= 1)) {
                throw invalid(config, key, decay ? "decays in (0, 1) separated by commas" : "positive numbers "
                        + "separated by commas, or none");
            }
            out.add(d);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static ConfigurationException invalid(Config config, String key, String expected) {
        return new ConfigurationException("feature-map 'lopt': invalid value '" + config.text().get(key)
                + "' for parameter '" + key + "': expected " + expected);
    }
}
