package org.l2o.policies.learned;

import java.util.List;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.DenseVectors;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.FeatureState;
import org.l2o.kernels.Lm2017History;
import org.l2o.api.update.Observation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The observation features Psi of Li & Malik 2017: per coordinate the relative
 * change of the observed objective, the gradient normalised by the previous one, and the ratio of
 * the previous to the current step; {@code [3, n]} feature-major. This is what the 2017 learned
 * optimizer sees, at meta-training and at test time ({@link Lm2017History} documents the choices).
 */
public final class Lm2017Provider implements FeatureMapProvider {

    @Override
    public String id() {
        return "lm2017";
    }

    @Override
    public String description() {
        return "Li & Malik 2017 observation features: 3 per coordinate (objective change, normalised gradient, step ratio)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of();
    }

    @Override
    public FeatureMap create(Config config, CreationContext context) {
        return new Observations();
    }

    /** A copy of {@code h} with the observation added (the feature maps' states are immutable). */
    static Lm2017History pushed(Lm2017History h, Observation o) {
        Lm2017History next = h.copy();
        next.push(o.value(), DenseVectors.read(o.gradient()), DenseVectors.read(o.x()));
        return next;
    }

    /** The feature map, also the per-coordinate inputs of a coordinatewise policy. */
    public static final class Observations implements FeatureMap, CoordinatewiseInputs {

        private record State(Lm2017History history) implements FeatureState {
        }

        @Override
        public int size(ParameterLayout layout) {
            return Lm2017History.OBSERVATION_SIZE * layout.dimension();
        }

        @Override
        public FeatureState init(ParameterLayout layout) {
            return new State(new Lm2017History(layout.dimension(), 1, 1, false));
        }

        @Override
        public FeatureState push(FeatureState state, Observation o) {
            return new State(pushed(((State) state).history(), o));
        }

        @Override
        public INDArray features(FeatureState state) {
            return DenseVectors.of(((State) state).history().observation());
        }

        @Override
        public int size() {
            return Lm2017History.OBSERVATION_SIZE;
        }

        @Override
        public Track start(ParameterLayout layout) {
            return new HistoryTrack(new Lm2017History(layout.dimension(), 1, 1, false));
        }

        private record HistoryTrack(Lm2017History history) implements Track {
            @Override
            public double[] push(Observation o) {
                history.push(o.value(), DenseVectors.read(o.gradient()), DenseVectors.read(o.x()));
                return history.observation();
            }

            @Override
            public Track copy() {
                return new HistoryTrack(history.copy());
            }
        }

        @Override
        public String toString() {
            return "lm2017";
        }
    }
}
