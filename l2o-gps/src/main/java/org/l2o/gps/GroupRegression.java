package org.l2o.gps;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.l2o.api.Seeds;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.kernels.Adam;

/**
 * The policy side of coordinate-group GPS: the recurrent policy run along the recorded trajectories
 * (its mean steps, and their linearisation around the samples that the KL trust region is measured
 * from), its first whitened initialisation, and the precision-weighted regression onto the local
 * controllers by truncated BPTT (Li & Malik 2017, GPS; Levine et al. 2016, policy regression).
 * Immutable; deterministic under the seed.
 */
final class GroupRegression {

    /** The regressed policy, its Adam state and the fit's relative loss. */
    record Fitted(CoordinatewisePolicy policy, Adam adam, double loss) {
    }

    private final CoordinateGroupGps.Settings settings;
    /** The leading rows of the GPS state that the policy reads. */
    private final int inputs;

    GroupRegression(CoordinateGroupGps.Settings settings, int inputs) {
        this.settings = settings;
        this.inputs = inputs;
    }

    /**
     * A layout the policy is bound to for regression: group g holds {@code counts[g]} recorded
     * trajectories, keeping each group's rank so networks are assigned as for the optimizee.
     */
    static ParameterLayout regressionLayout(List<CoordinateGroup> groups, int[] counts) {
        List<CoordinateGroup> out = new ArrayList<>();
        int offset = 0;
        for (int g = 0; g < groups.size(); g++) {
            int count = counts[g];
            List<Integer> shape = groups.get(g).shape().size() >= 2 ? List.of(count, 1) : List.of(count);
            out.add(new CoordinateGroup(groups.get(g).name(), offset, shape));
            offset += count;
        }
        return new ParameterLayout(out);
    }

    /**
     * Index in the regression layout of condition c's first trajectory of group g: groups in order,
     * within a group the conditions that have it in order ({@code recorded[c]} per condition; a
     * condition with fewer groups, of a smaller net, has none of the later ones).
     */
    int regressionOffset(int[][][] recorded, int c, int g) {
        int offset = 0;
        for (int q = 0; q < g; q++) {
            for (int[][] byGroup : recorded) {
                offset += q < byGroup.length ? settings.samples() * byGroup[q].length : 0;
            }
        }
        for (int k = 0; k < c; k++) {
            offset += g < recorded[k].length ? settings.samples() * recorded[k][g].length : 0;
        }
        return offset;
    }

    /** The most coordinate groups of any condition: the groups of the regression layout. */
    static int groupCount(GroupSamples[][] data) {
        int groups = 0;
        for (GroupSamples[] byCondition : data) {
            groups = Math.max(groups, byCondition.length);
        }
        return groups;
    }

    /** Per-coordinate inputs of the recorded trajectories at step t, in the regression layout's order. */
    private static double[] inputsAt(GroupSamples[][] data, int t, int total, int inputs) {
        double[] in = new double[inputs * total];
        int k = 0;
        int groups = groupCount(data);
        for (int g = 0; g < groups; g++) {
            for (GroupSamples[] byCondition : data) {
                if (g >= byCondition.length) {
                    continue;
                }
                for (double[][] trajectory : byCondition[g].states) {
                    double[] s = trajectory[t];
                    for (int r = 0; r < inputs; r++) {
                        in[r * total + k] = s[r];
                    }
                    k++;
                }
            }
        }
        return in;
    }

    private static int trajectories(GroupSamples[][] data) {
        int total = 0;
        for (GroupSamples[] byCondition : data) {
            for (GroupSamples gs : byCondition) {
                total += gs.states.length;
            }
        }
        return total;
    }

    /** The policy's mean steps along every recorded trajectory, {@code [T][total]}. */
    double[][] forward(CoordinatewisePolicy bound, GroupSamples[][] data, int horizon) {
        int total = trajectories(data);
        double[] state = new double[total * bound.stateSize()];
        double[] next = new double[state.length];
        double[][] out = new double[horizon][];
        for (int t = 0; t < horizon; t++) {
            out[t] = bound.step(inputsAt(data, t, total, inputs), state, next, null);
            double[] swap = state;
            state = next;
            next = swap;
        }
        return out;
    }

    /**
     * The policy linearised along one group's samples on one condition: per step a ridge regression of
     * its mean steps on the GPS state, with the residual variance plus the policy's own variance as
     * the covariance (the reference of the KL trust region, Montgomery & Levine 2016; Levine et al. 2016).
     */
    static LinearGaussianController linearize(double[][] means, GroupSamples gs, int offset, double variance,
                                              int horizon, int d) {
        int count = gs.states.length;
        double[][][] gains = new double[horizon][][];
        double[][] offsets = new double[horizon][];
        double[][][] covs = new double[horizon][][];
        for (int t = 0; t < horizon; t++) {
            double[] y = new double[count];
            for (int k = 0; k < count; k++) {
                y[k] = means[t][offset + k];
            }
            double[] beta = GroupCost.leastSquares(gs.states, t, y);
            double residual = 0;
            for (int k = 0; k < count; k++) {
                double[] s = gs.states[k][t];
                double pred = beta[d];
                for (int i = 0; i < d; i++) {
                    pred += beta[i] * s[i];
                }
                double e = y[k] - pred;
                residual += e * e;
            }
            gains[t] = new double[][] {java.util.Arrays.copyOf(beta, d)};
            offsets[t] = new double[] {beta[d]};
            covs[t] = new double[][] {{residual / count + variance}};
        }
        return new LinearGaussianController(gains, offsets, covs);
    }

    /**
     * The freshly initialised policy, with its inputs scaled to unit spread over the first samples
     * (whitening as Levine et al. 2016, policy regression does for the 2016 policy; the normalised gradient is ~1e-2 on these nets)
     * unless the configuration fixes the scales or the policy class has none (its inputs are
     * normalised already, as {@code lopt}'s are); the scales chosen are put into {@code policyParameters}.
     */
    CoordinatewisePolicy firstPolicy(java.util.Map<String, String> policyParameters,
                                     CoordinatewisePolicyProvider provider, GroupSamples[][] data, long seed) {
        boolean scalable = provider.parameters().stream().anyMatch(p -> p.name().equals("input-scale"));
        if (scalable && policyParameters.getOrDefault("input-scale", "none").equals("none")) {
            double[] sum = new double[inputs];
            double[] sq = new double[inputs];
            long count = 0;
            for (GroupSamples[] byCondition : data) {
                for (GroupSamples gs : byCondition) {
                    for (double[][] trajectory : gs.states) {
                        for (double[] s : trajectory) {
                            for (int r = 0; r < inputs; r++) {
                                sum[r] += s[r];
                                sq[r] += s[r] * s[r];
                            }
                            count++;
                        }
                    }
                }
            }
            StringBuilder b = new StringBuilder();
            for (int r = 0; r < inputs; r++) {
                double mean = sum[r] / count;
                double sd = Math.sqrt(Math.max(0, sq[r] / count - mean * mean));
                b.append(r == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.6g",
                        sd > 1e-12 ? 1 / sd : 1.0));
            }
            policyParameters.put("input-scale", b.toString());
        }
        return provider.create(provider.configure(policyParameters), Seeds.generator(seed, "gps-groups-policy", 0));
    }

    /**
     * Regresses the policy onto the controllers' mean steps along the recorded trajectories (the
     * S-step): {@code iterations} Adam steps, one per unroll of {@code policy-unroll} steps (truncated
     * BPTT, state carried), passing through the horizon on a seeded minibatch of {@code policy-batch}
     * trajectories (spread evenly over the groups) drawn afresh for every pass; squared errors
     * weighted by the controllers' precisions relative to their mean over conditions at that step.
     * Sets each group's entry of {@code policyVariance} to the inverse mean precision. Group g is
     * the g-th group of every condition that has one ({@code groups}: its name and shape, from the
     * first such condition), so conditions of different layouts share the regression. The fit's loss
     * is the last pass's weighted squared error relative to the weighted squared targets (0: a
     * perfect fit, 1: no better than steps of zero). The controllers act on {@code gpsData}'s states,
     * the policy reads {@code data}'s (the same transitions, every recorded row).
     */
    Fitted regress(CoordinatewisePolicy policy, Adam adam, LinearGaussianController[][] controllers,
                   double[] policyVariance, GroupSamples[][] data, GroupSamples[][] gpsData,
                   List<CoordinateGroup> groups, int horizon,
                   int iterations, long seed, int iteration) {
        int total = trajectories(data);
        int m = data.length;
        int groupCount = groupCount(data);
        double[][] targets = new double[horizon][total];
        double[][] weights = new double[horizon][total];
        int[] groupStart = new int[groupCount];
        int[] groupSize = new int[groupCount];
        int offset = 0;
        for (int g = 0; g < groupCount; g++) {
            groupStart[g] = offset;
            double precisionSum = 0;
            // Precisions are averaged over conditions per step, so every step and group counts
            // equally: the LQR's precisions span orders of magnitude over the horizon (large where
            // much cost-to-go remains), and raw weights would fit the first steps only.
            int having = 0;
            for (int c = 0; c < m; c++) {
                having += g < controllers[c].length ? 1 : 0;
            }
            double[] stepMean = new double[horizon];
            for (int c = 0; c < m; c++) {
                if (g >= controllers[c].length) {
                    continue;
                }
                for (int t = 0; t < horizon; t++) {
                    stepMean[t] += controllers[c][g].precision(t)[0][0] / having;
                }
            }
            for (int c = 0; c < m; c++) {
                if (g >= controllers[c].length) {
                    continue;
                }
                GroupSamples gs = gpsData[c][g];
                LinearGaussianController ctrl = controllers[c][g];
                for (int t = 0; t < horizon; t++) {
                    double[] k = ctrl.gain(t)[0];
                    double k0 = ctrl.offset(t)[0];
                    double precision = ctrl.precision(t)[0][0];
                    precisionSum += precision;
                    for (int i = 0; i < gs.states.length; i++) {
                        double[] s = gs.states[i][t];
                        double mu = k0;
                        for (int q = 0; q < s.length; q++) {
                            mu += k[q] * s[q];
                        }
                        targets[t][offset + i] = mu;
                        weights[t][offset + i] = precision / stepMean[t];
                    }
                }
                offset += gs.states.length;
            }
            groupSize[g] = offset - groupStart[g];
            policyVariance[g] = having * horizon / precisionSum;
        }
        double[][] stepInputs = new double[horizon][];
        for (int t = 0; t < horizon; t++) {
            stepInputs[t] = inputsAt(data, t, total, inputs);
        }
        int each = Math.max(1, settings.policyBatch() / groupCount);
        int[] take = new int[groupCount];
        int batch = 0;
        for (int g = 0; g < groupCount; g++) {
            take[g] = Math.min(each, groupSize[g]);
            batch += take[g];
        }
        CoordinatewisePolicy net = policy.bind(regressionLayout(groups, take));
        double[] params = DenseVectors.read(policy.parameters());
        int unroll = Math.min(settings.policyUnroll(), horizon);
        RandomGenerator random = Seeds.generator(seed, "gps-groups-regression-" + iteration, 0);
        double loss = Double.NaN;
        int taken = 0;
        while (taken < iterations) {
            int[] index = new int[batch];
            int k0 = 0;
            for (int g = 0; g < groupCount; g++) {
                int[] pick = Seeds.subset(groupSize[g], take[g], random);
                for (int i = 0; i < pick.length; i++) {
                    index[k0 + i] = groupStart[g] + pick[i];
                }
                k0 += pick.length;
            }
            double[] state = new double[batch * net.stateSize()];
            double epochLoss = 0;
            double epochScale = 0;
            for (int from = 0; from < horizon && taken < iterations; from += unroll) {
                int to = Math.min(horizon, from + unroll);
                taken++;
                CoordinatewisePolicy.Tape tape = net.newTape(batch);
                double[][] upstream = new double[to - from][];
                for (int t = from; t < to; t++) {
                    double[] in = new double[inputs * batch];
                    for (int r = 0; r < inputs; r++) {
                        for (int i = 0; i < batch; i++) {
                            in[r * batch + i] = stepInputs[t][r * total + index[i]];
                        }
                    }
                    double[] next = new double[state.length];
                    double[] mu = net.step(in, state, next, tape);
                    double[] u = new double[batch];
                    for (int i = 0; i < batch; i++) {
                        double w = weights[t][index[i]] / ((double) batch * horizon);
                        double err = mu[i] - targets[t][index[i]];
                        epochLoss += w * err * err;
                        epochScale += w * targets[t][index[i]] * targets[t][index[i]];
                        u[i] = w * err;
                    }
                    upstream[t - from] = u;
                    state = next;
                }
                double[] grad = net.backward(tape, upstream);
                adam = adam.step(params, grad, settings.policyLr());
                net = net.withParameters(DenseVectors.of(params));
            }
            loss = epochScale > 0 ? epochLoss / epochScale : Double.NaN;
        }
        return new Fitted(policy.withParameters(DenseVectors.of(params)), adam, loss);
    }
}
