package org.l2o.api.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.FeatureState;
import org.l2o.api.update.Observation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Contract tests for feature maps: on a short gradient-descent run, features have the declared
 * size and are finite, the same history gives the same features, a pushed observation never changes
 * an earlier state's features (the history is explicit, immutable state), and, for maps that also
 * give per-coordinate inputs, a run's track yields {@code size x n} values and its copy is
 * independent of it.
 */
public abstract class FeatureMapContract extends ProviderContract<FeatureMapProvider> {

    /** The map under test, from {@link #parameters()}. */
    protected FeatureMap map() {
        return provider().create(provider().configure(parameters()), CreationContext.defaults());
    }

    /** The objective the observations come from. */
    protected Objective objective() {
        return TestObjectives.quadratic(6, 20, 3);
    }

    /** Observations of {@code steps} gradient-descent steps from a seeded start. */
    protected List<Observation> observations(int steps) {
        Objective f = objective();
        INDArray x = f.initialPoint(Seeds.generator(4));
        List<Observation> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            Evaluation e = f.evaluate(x);
            out.add(new Observation(t, x.dup(), e.value(), e.gradient().dup(), TestObjectives.oracle(f)));
            x = x.sub(e.gradient().mul(0.04));
        }
        return out;
    }

    private List<double[]> run(FeatureMap map, List<Observation> obs) {
        FeatureState s = map.init(objective().layout());
        List<double[]> out = new ArrayList<>();
        for (Observation o : obs) {
            s = map.push(s, o);
            out.add(map.features(s).dup().data().asDouble());
        }
        return out;
    }

    @Test
    void featuresHaveTheDeclaredSizeAndAreFinite() {
        FeatureMap map = map();
        int size = map.size(objective().layout());
        for (double[] f : run(map, observations(12))) {
            assertEquals(size, f.length, provider().id() + ": features length");
            for (double v : f) {
                assertTrue(Double.isFinite(v), provider().id() + ": a feature is not finite");
            }
        }
    }

    @Test
    void theSameHistoryGivesTheSameFeatures() {
        List<Observation> obs = observations(10);
        List<double[]> a = run(map(), obs);
        List<double[]> b = run(map(), obs);
        for (int t = 0; t < a.size(); t++) {
            assertArrayEquals(a.get(t), b.get(t), 0.0, provider().id() + ": features at step " + t);
        }
    }

    @Test
    void pushingNeverChangesAnEarlierState() {
        FeatureMap map = map();
        List<Observation> obs = observations(8);
        FeatureState s = map.init(objective().layout());
        for (int t = 0; t < 4; t++) {
            s = map.push(s, obs.get(t));
        }
        double[] before = map.features(s).dup().data().asDouble();
        FeatureState later = s;
        for (int t = 4; t < obs.size(); t++) {
            later = map.push(later, obs.get(t));
        }
        assertArrayEquals(before, map.features(s).dup().data().asDouble(), 0.0,
                provider().id() + ": pushing changed an earlier state's features");
    }

    @Test
    void perCoordinateInputsHaveTheirSizeAndIndependentCopies() {
        if (!(map() instanceof CoordinatewiseInputs inputs)) {
            return; // not a per-coordinate map: nothing more to check
        }
        List<Observation> obs = observations(10);
        int n = (int) objective().layout().dimension();
        CoordinatewiseInputs.Track track = inputs.start(objective().layout());
        for (int t = 0; t < 5; t++) {
            assertEquals(inputs.size() * n, track.push(obs.get(t)).length, provider().id() + ": inputs length");
        }
        CoordinatewiseInputs.Track copy = track.copy();
        // the copy sees other observations; the original must continue as if it had not
        copy.push(obs.get(9));
        copy.push(obs.get(8));
        CoordinatewiseInputs.Track replay = inputs.start(objective().layout());
        for (int t = 0; t < 5; t++) {
            replay.push(obs.get(t));
        }
        for (int t = 5; t < obs.size(); t++) {
            assertArrayEquals(replay.push(obs.get(t)), track.push(obs.get(t)), 0.0,
                    provider().id() + ": a copy's pushes changed the original track at step " + t);
        }
    }

    @Test
    void pushingIntoAReusedArrayGivesTheFreshInputs() {
        if (!(map() instanceof CoordinatewiseInputs inputs)) {
            return;
        }
        List<Observation> obs = observations(10);
        int n = (int) objective().layout().dimension();
        CoordinatewiseInputs.Track fresh = inputs.start(objective().layout());
        CoordinatewiseInputs.Track reused = inputs.start(objective().layout());
        double[] into = new double[inputs.size() * n];
        java.util.Arrays.fill(into, Double.NaN); // whatever the array held before must not leak into the inputs
        for (Observation o : obs) {
            double[] expected = fresh.push(o);
            assertSame(into, reused.push(o, into), provider().id() + ": push(observation, into) returns into");
            assertArrayEquals(expected, into, 0.0, provider().id() + ": inputs pushed into a reused array differ");
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> inputs.start(objective().layout()).push(obs.get(0), new double[inputs.size() * n + 1]),
                provider().id() + ": an array of another length must be refused");
    }

    @Test
    void aSavedTrackRestoresToTheSameInputs() {
        if (!(map() instanceof CoordinatewiseInputs inputs)) {
            return;
        }
        List<Observation> obs = observations(10);
        CoordinatewiseInputs.Track track = inputs.start(objective().layout());
        for (int t = 0; t < 4; t++) {
            track.push(obs.get(t));
        }
        double[] saved;
        try {
            saved = track.save();
        } catch (UnsupportedOperationException e) {
            return; // this map's histories cannot be checkpointed: nothing to check
        }
        assertEquals(inputs.channels().size(), inputs.size(), provider().id() + ": one channel name per input");
        CoordinatewiseInputs.Track restored = inputs.restore(objective().layout(), saved.clone());
        for (int t = 4; t < obs.size(); t++) {
            assertArrayEquals(track.push(obs.get(t)), restored.push(obs.get(t)), 0.0,
                    provider().id() + ": the restored track differs at step " + t);
        }
        org.junit.jupiter.api.Assertions.assertThrows(org.l2o.api.DataFormatException.class,
                () -> inputs.restore(objective().layout(), java.util.Arrays.copyOf(saved, saved.length - 1)),
                provider().id() + ": a truncated history must be refused as a data-format error");
    }
}
