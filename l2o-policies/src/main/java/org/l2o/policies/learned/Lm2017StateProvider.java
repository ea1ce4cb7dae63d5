package org.l2o.policies.learned;

import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.DenseVectors;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.FeatureState;
import org.l2o.kernels.Lm2017History;
import org.l2o.api.update.Observation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The state features Phi of Li & Malik 2017, which GPS uses during
 * meta-training: over H lags of stride S, the relative changes of the window-3 averaged objective,
 * the averaged gradient normalised by an older one, and the ratio of the previous to the current
 * change of the averaged iterate; {@code [3H + 1, n]} feature-major ({@link Lm2017History} documents
 * the reconstruction of the garbled third feature).
 */
public final class Lm2017StateProvider implements FeatureMapProvider {

    @Override
    public String id() {
        return "lm2017-state";
    }

    @Override
    public String description() {
        return "Li & Malik 2017 state features: 3H + 1 per coordinate over H lags of stride S";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.integer("history", 25, "lags H").range(1, 1000),
                ParameterSpec.integer("stride", 5, "steps between lags S").range(1, 1000));
    }

    @Override
    public FeatureMap create(Config config, CreationContext context) {
        return new States(config.getInt("history"), config.getInt("stride"));
    }

    /** The feature map; see the provider. */
    public record States(int history, int stride) implements FeatureMap {

        private record State(Lm2017History history) implements FeatureState {
        }

        @Override
        public int size(ParameterLayout layout) {
            return (3 * history + 1) * layout.dimension();
        }

        @Override
        public FeatureState init(ParameterLayout layout) {
            return new State(new Lm2017History(layout.dimension(), history, stride, true));
        }

        @Override
        public FeatureState push(FeatureState state, Observation o) {
            return new State(Lm2017Provider.pushed(((State) state).history(), o));
        }

        @Override
        public INDArray features(FeatureState state) {
            Lm2017History h = ((State) state).history();
            double[] out = new double[h.stateSize() * h.coordinates()];
            h.state(out, 0);
            return DenseVectors.of(out);
        }
    }
}
