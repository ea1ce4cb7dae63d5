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
import org.l2o.kernels.Lm2017History;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sampling side of coordinate-group GPS (Li & Malik 2017, coordinate groups): runs the tied
 * linear-Gaussian controllers on a training condition, every coordinate acting on its own GPS state
 * {@code [Psi; Phi]} (the observation and state features of Li & Malik 2017), and records the
 * transitions of a seeded subset of each group's coordinates. Immutable and deterministic under
 * the seed.
 */
final class GroupSampler {

    static final int PSI = Lm2017History.OBSERVATION_SIZE;

    private final CoordinateGroupGps.Settings settings;

    GroupSampler(CoordinateGroupGps.Settings settings) {
        this.settings = settings;
    }

    /** GPS state per coordinate: Psi, then Phi. */
    int stateSize() {
        return PSI + 3 * settings.history() + 1;
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
    GroupSamples[] sample(Condition c, LinearGaussianController[] controllers, int[][] recorded, int horizon,
                                  long seed, int iteration, double[] cost, MetaTrainingListener listener) {
        Objective f = c.objective();
        ParameterLayout layout = f.layout();
        List<CoordinateGroup> groups = layout.groups();
        int n = f.dimension();
        int d = stateSize();
        int phiRows = 3 * settings.history() + 1;
        int samples = settings.samples();
        GroupSamples[] out = new GroupSamples[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            out[g] = new GroupSamples(samples * recorded[g].length, horizon);
        }
        double total = 0;
        double[] psi = new double[PSI * n];
        double[] phi = new double[phiRows * n];
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
            Lm2017History h = new Lm2017History(n, settings.history(), settings.stride(), true);
            for (int t = 0; t < horizon; t++) {
                NativeMemory.checkpoint();
                h.push(seen.value(), DenseVectors.read(seen.gradient()), x);
                h.observation(psi, 0);
                h.state(phi, 0);
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
                    for (int r = 0; r < PSI; r++) {
                        double w = k[r];
                        int row = r * n;
                        for (int j = from; j < to; j++) {
                            a[j] += w * psi[row + j];
                        }
                    }
                    for (int r = 0; r < phiRows; r++) {
                        double w = k[PSI + r];
                        if (w == 0) {
                            continue;
                        }
                        int row = r * n;
                        for (int j = from; j < to; j++) {
                            a[j] += w * phi[row + j];
                        }
                    }
                    int[] rec = recorded[q];
                    for (int i = 0; i < rec.length; i++) {
                        int j = from + rec[i];
                        double[] state = new double[d];
                        for (int r = 0; r < PSI; r++) {
                            state[r] = psi[r * n + j];
                        }
                        for (int r = 0; r < phiRows; r++) {
                            state[PSI + r] = phi[r * n + j];
                        }
                        out[q].states[s * rec.length + i][t] = state;
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
