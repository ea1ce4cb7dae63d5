package org.l2o.gps;

import java.util.List;
import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.l2o.api.NativeMemory;
import org.l2o.api.Seeds;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sampling side of coordinate-group GPS (Li & Malik 2017, coordinate groups): runs the tied
 * linear-Gaussian controllers on a training condition, every coordinate acting on its own GPS state
 * ({@link GroupStates}: {@code [Psi; Phi]} of Li & Malik 2017, or a feature map's channels), and records the
 * transitions of a seeded subset of each group's coordinates. Immutable and deterministic under
 * the seed.
 */
final class GroupSampler {

    private final CoordinateGroupGps.Settings settings;
    private final GroupStates states;

    GroupSampler(CoordinateGroupGps.Settings settings, GroupStates states) {
        this.settings = settings;
        this.states = states;
    }

    /** Rows recorded per coordinate (the GPS state is a projection of them, see {@link GroupStates#control}). */
    int rowCount() {
        return states.size();
    }

    /** Per group, the sorted in-group indices whose transitions are kept (a seeded subset). */
    int[][] recordedCoordinates(List<CoordinateGroup> groups, long seed) {
        int[][] out = new int[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            int size = groups.get(g).size();
            out[g] = Seeds.subset(size, Math.min(settings.coordinates(), size),
                    Seeds.generator(seed, "gps-groups-recorded", g));
        }
        return out;
    }

    /**
     * N trajectories of the tied controllers on one condition. Returns per group the recorded
     * transitions; adds the mean true objective over steps 1..T to {@code cost[0]}.
     */
    GroupSamples[] sample(Condition c, LinearGaussianController[] controllers, int[] control, int[][] recorded,
                          int horizon, long seed, int iteration, double[] cost, MetaTrainingListener listener) {
        Objective f = c.objective();
        ParameterLayout layout = f.layout();
        List<CoordinateGroup> groups = layout.groups();
        int n = f.dimension();
        int d = rowCount();
        int inputs = states.policyInputs();
        int samples = settings.samples();
        GroupSamples[] out = new GroupSamples[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            out[g] = new GroupSamples(samples * recorded[g].length, horizon);
        }
        double total = 0;
        double[] state = new double[d * n];
        double[] a = new double[n];
        for (int s = 0; s < samples; s++) {
            int run = c.index() * samples + s;
            RandomGenerator batches = Seeds.generator(seed, "gps-groups-batches-" + iteration, run);
            RandomGenerator noise = Seeds.generator(seed, "gps-groups-noise-" + iteration, run);
            double[] x = DenseVectors.read(c.start());
            INDArray point = DenseVectors.of(x);
            Evaluation truth = f.evaluate(point);
            Evaluation seen = f.stochastic() ? f.estimate(point, batches) : truth;
            double[] g0 = DenseVectors.read(truth.gradient());
            GroupStates.Run h = states.start(f);
            for (int t = 0; t < horizon; t++) {
                NativeMemory.checkpoint();
                h.push(t, seen.value(), seen.gradient(), x, point, state);
                for (int q = 0; q < groups.size(); q++) {
                    CoordinateGroup grp = groups.get(q);
                    double[] k = controllers[q].gain(t)[0];
                    double k0 = controllers[q].offset(t)[0];
                    double sd = Math.sqrt(controllers[q].covariance(t)[0][0]);
                    int from = grp.offset();
                    int to = grp.end();
                    for (int j = from; j < to; j++) {
                        a[j] = k0 + sd * noise.nextGaussian();
                    }
                    for (int r = 0; r < control.length; r++) {
                        double w = k[r];
                        if (w == 0 && control[r] >= inputs) { // (the policy's inputs always count, as in the 2017 runs)
                            continue;
                        }
                        int row = control[r] * n;
                        for (int j = from; j < to; j++) {
                            a[j] += w * state[row + j];
                        }
                    }
                    int[] rec = recorded[q];
                    for (int i = 0; i < rec.length; i++) {
                        int j = from + rec[i];
                        double[] own = new double[d];
                        for (int r = 0; r < d; r++) {
                            own[r] = state[r * n + j];
                        }
                        out[q].states[s * rec.length + i][t] = own;
                        out[q].actions[s * rec.length + i][t] = new double[] {a[j]};
                        out[q].gradients[s * rec.length + i][t] = g0[j];
                    }
                }
                for (int j = 0; j < n; j++) {
                    x[j] += a[j];
                }
                point = DenseVectors.of(x);
                truth = f.evaluate(point);
                seen = f.stochastic() ? f.estimate(point, batches) : truth;
                double[] g1 = DenseVectors.read(truth.gradient());
                for (int q = 0; q < groups.size(); q++) {
                    double num = 0;
                    double den = 0;
                    for (int j = groups.get(q).offset(); j < groups.get(q).end(); j++) {
                        num += (g1[j] - g0[j]) * a[j];
                        den += a[j] * a[j];
                    }
                    out[q].curvatureNum[t] += num;
                    out[q].curvatureDen[t] += den;
                }
                g0 = g1;
                total += truth.value() / horizon;
                if (!Double.isFinite(truth.value())) {
                    cost[0] = Double.NaN;
                    return out;
                }
                if (listener != null) {
                    double[] first = out[0].states[s * recorded[0].length][t];
                    listener.sample(iteration, c.index(), s, t, truth.value(), first,
                            out[0].actions[s * recorded[0].length][t]);
                }
            }
        }
        cost[0] = total / samples;
        return out;
    }
}
