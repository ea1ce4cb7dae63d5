package org.l2o.policies.learned;

import java.util.Arrays;
import java.util.List;
import org.l2o.api.DenseVectors;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.FeatureState;
import org.l2o.api.update.Observation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The state features of Li and Malik 2016 (Li & Malik 2016, state, action and cost): for a history of H steps, the
 * changes of the objective value {@code f_t - f_{t-k}}, k = 1..H, then the gradients at H lags
 * (0..H-1 when the current gradient is included, the safer reading of the paper; 1..H otherwise),
 * each lag a block of n coordinates. Slots before the start of the run are zero. Size H + H n.
 */
public final class History2016Provider implements FeatureMapProvider {

    @Override
    public String id() {
        return "lm2016";
    }

    @Override
    public String description() {
        return "Li & Malik 2016 history: H objective-value differences and H past gradients";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("history", 25, "history length H").range(1, 10_000),
                ParameterSpec.flag("current-gradient", true,
                        "include the gradient at the current iterate (lags 0..H-1) rather than lags 1..H"));
    }

    @Override
    public FeatureMap create(Config config, CreationContext context) {
        return new History2016(config.getInt("history"), config.getBoolean("current-gradient"));
    }

    /** The feature map; see the provider. */
    public record History2016(int history, boolean currentGradient) implements FeatureMap {

        /**
         * Values (most recent first, H + 1 kept), gradients (most recent first, H + 1 kept) and how
         * many observations were pushed.
         */
        record State(double[] values, double[][] gradients, int count) implements FeatureState {
        }

        @Override
        public int size(ParameterLayout layout) {
            return history + history * layout.dimension();
        }

        @Override
        public FeatureState init(ParameterLayout layout) {
            return new State(new double[history + 1], new double[history + 1][], 0);
        }

        @Override
        public FeatureState push(FeatureState state, Observation o) {
            State s = (State) state;
            double[] values = new double[history + 1];
            double[][] grads = new double[history + 1][];
            values[0] = o.value();
            grads[0] = o.gradient().toDoubleVector();
            System.arraycopy(s.values(), 0, values, 1, history);
            System.arraycopy(s.gradients(), 0, grads, 1, history);
            return new State(values, grads, s.count() + 1);
        }

        @Override
        public INDArray features(FeatureState state) {
            State s = (State) state;
            int n = s.count() == 0 ? 0 : s.gradients()[0].length;
            double[] out = new double[history + history * n];
            for (int k = 1; k <= history; k++) {
                out[k - 1] = k < s.count() ? s.values()[0] - s.values()[k] : 0;
            }
            int first = currentGradient ? 0 : 1;
            for (int j = 0; j < history; j++) {
                int lag = first + j;
                if (lag < s.count()) {
                    System.arraycopy(s.gradients()[lag], 0, out, history + j * n, n);
                }
            }
            return DenseVectors.of(out);
        }

        @Override
        public String toString() {
            return "lm2016(history=" + history + ", current-gradient=" + currentGradient + ")";
        }

        /** Internal arrays for tests; values most recent first. */
        static double[] values(FeatureState s) {
            return Arrays.copyOf(((State) s).values(), ((State) s).values().length);
        }
    }
}
