package org.l2o.gps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DenseVectors;
import org.l2o.api.Seeds;
import org.l2o.kernels.Adam;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainer;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.CheckpointReader;
import org.l2o.api.meta.CheckpointWriter;
import org.l2o.api.meta.Iteration;
import org.l2o.api.meta.TrainerState;
import org.l2o.api.meta.Provenance;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.kernels.CoordinatewiseRule;
import org.l2o.kernels.Lm2017History;
import org.l2o.gps.linalg.Mat;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Coordinate-group guided policy search (Li & Malik 2017, coordinate groups) for a coordinatewise
 * recurrent policy fed the observation features Psi (Li & Malik 2017, the features). Every coordinate of the optimizee
 * has its own small GPS state {@code s = [Psi; Phi]} (its 3 observation features and its
 * {@code 3H + 1} state features: only what the policy can observe) and its own scalar action (its
 * step). Dynamics, cost and controllers are block-diagonal per coordinate and tied within a
 * coordinate group (one weight matrix or bias vector), so each iteration solves one KL-constrained
 * LQR of state size {@code 3H + 4} per group and training condition, whatever the number of network
 * weights, and fits each group's tied dynamics from all of its coordinates' transitions (a recorded
 * subset).
 *
 * <p>The cost is the meta-loss {@code sum_t f(x_t)} (Li & Malik 2017, the meta-loss) on the true objective, split per
 * coordinate to second order: {@code f(x_{t+1}) - f(x_t) ~ sum_j g_j a_j + 1/2 h a_j^2} with the
 * group's curvature {@code h_t} along the sampled steps, and step t's change counts in every later
 * term of the sum, so the per-coordinate cost of step t is {@code (T - t) / T (g a + 1/2 h a^2)},
 * with {@code g} replaced by its linear prediction from the state (see {@link #cost}), which makes
 * the bilinear term a tied quadratic cost.
 *
 * <p>Each iteration (mirror-descent GPS, Montgomery & Levine 2016; Levine et al. 2016): sample N trajectories per condition from the
 * controllers (what the optimizer observes is the minibatch estimate, the cost the true objective),
 * fit the tied dynamics (Levine & Abbeel 2014, dynamics with a GMM prior, no prior), linearise the policy along the samples by regressing
 * its mean steps on the GPS state, solve the LQR under the KL trust region around that
 * linearisation (Levine & Abbeel 2014, KL-constrained LQR), then regress the recurrent policy onto the new controllers' means by
 * truncated backpropagation through time, weighted by the controllers' precisions (Li & Malik 2017, GPS with BADMM; Levine et al. 2016, policy regression).
 * The iteration whose policy does best on held-out conditions is kept. Deterministic under the seed.
 */
final class CoordinateGroupGps implements MetaTrainer {

    /** Settings; see {@link CoordinateGroupGpsProvider} for meanings and defaults. */
    record Settings(int iterations, int samples, double klStep, double initLr, double initVar, double initNoise,
                    int history, int stride, int coordinates, double dynamicsRegularization,
                    int policyIterationsFirst, int policyIterations, int policyUnroll, int policyBatch,
                    double policyLr, int validationObjectives) {

        static Settings of(Config c) {
            return new Settings(c.getInt("iterations"), c.getInt("samples"), c.getDouble("kl-step"),
                    c.getDouble("init-lr"), c.getDouble("init-var"), c.getDouble("init-noise"), c.getInt("history"),
                    c.getInt("stride"), c.getInt("coordinates"), c.getDouble("dynamics-regularization"),
                    c.getInt("policy-iterations-first"), c.getInt("policy-iterations"), c.getInt("policy-unroll"),
                    c.getInt("policy-batch"), c.getDouble("policy-lr"), c.getInt("validation-objectives"));
        }
    }

    private static final int PSI = Lm2017History.OBSERVATION_SIZE;

    private final Settings settings;
    private final Config config;

    CoordinateGroupGps(Settings settings, Config config) {
        this.settings = settings;
        this.config = config;
    }

    /**
     * Everything carried from one iteration to the next; the first block is derived from the request
     * on start and restore, the rest (controllers and duals per condition and group, the policy and
     * its regression state) is written to checkpoints.
     */
    private static final class State implements TrainerState {
        MetaTrainingRequest request;
        CoordinatewisePolicyProvider provider;
        CoordinatewiseInputs inputs;
        List<Condition> conditions;
        List<Condition> validation;
        ParameterLayout layout;
        List<CoordinateGroup> groups;
        int[][] recorded;
        ParameterLayout regressionLayout;

        LinearGaussianController[][] controllers;
        double[][] eta;
        double[] policyVariance;
        /** The policy's parameters as configured, with the input scales fixed at the first regression. */
        Map<String, String> policyParameters;
        CoordinatewisePolicy policy;
        Adam adam;
        boolean fitted;

        @Override
        public void write(CheckpointWriter w) {
            w.section("gps-groups").integer(controllers.length).integer(controllers[0].length);
            for (int c = 0; c < controllers.length; c++) {
                for (int g = 0; g < controllers[c].length; g++) {
                    Controllers.write(w, controllers[c][g]);
                    w.number(eta[c][g]);
                }
            }
            w.vector(policyVariance).texts(policyParameters).flag(fitted);
            if (fitted) {
                w.vector(DenseVectors.read(policy.parameters())).vector(adam.m()).vector(adam.v()).longValue(adam.t());
            }
        }
    }

    /** The transitions of the recorded coordinates of one group on one condition, as GPS samples. */
    private static final class GroupSamples {
        final double[][][] states; // [N m][T][d]
        final double[][][] actions; // [N m][T][1]
        final double[][] gradients; // [N m][T]: true gradient of the coordinate at the state
        final double[] curvatureNum; // [T], over all coordinates of the group
        final double[] curvatureDen;

        GroupSamples(int count, int horizon) {
            states = new double[count][horizon][];
            actions = new double[count][horizon][];
            gradients = new double[count][horizon];
            curvatureNum = new double[horizon];
            curvatureDen = new double[horizon];
        }
    }

    @Override
    public int iterations() {
        return settings.iterations();
    }

    @Override
    public String divergenceAdvice() {
        return "try a smaller kl-step or init-var";
    }

    /** The request-derived part of the state. */
    private State derived(MetaTrainingRequest request) {
        State st = new State();
        st.request = request;
        st.provider = request.policy().as(CoordinatewisePolicyProvider.class, "gps-groups");
        if (!(request.features().map() instanceof CoordinatewiseInputs inputs) || inputs.size() != PSI) {
            throw new ConfigurationException("trainer 'gps-groups': needs the lm2017 feature map (the observation "
                    + "features Psi of Li & Malik 2017, 3 per coordinate); got '" + request.features().id() + "'");
        }
        st.inputs = inputs;
        int m = request.trainObjectives();
        st.conditions = Condition.of(request, 0, m);
        st.validation = Condition.of(request, m, settings.validationObjectives());
        st.layout = st.conditions.get(0).objective().layout();
        for (Condition c : st.conditions) {
            if (!c.objective().layout().equals(st.layout)) {
                throw new ConfigurationException("trainer 'gps-groups': training objectives must share one parameter "
                        + "layout (coordinate groups are tied across conditions)");
            }
        }
        st.groups = st.layout.groups();
        st.recorded = recordedCoordinates(st.groups, request.seed());
        int[] trajectoriesPerGroup = new int[st.groups.size()];
        for (int g = 0; g < st.groups.size(); g++) {
            trajectoriesPerGroup[g] = m * settings.samples() * st.recorded[g].length;
        }
        st.regressionLayout = regressionLayout(st.groups, trajectoriesPerGroup);
        return st;
    }

    @Override
    public TrainerState start(MetaTrainingRequest request, MetaTrainingListener listener) {
        State st = derived(request);
        int m = request.trainObjectives();
        int horizon = request.steps();
        List<CoordinateGroup> groups = st.groups;
        int d = stateSize();
        st.controllers = new LinearGaussianController[m][groups.size()];
        st.eta = new double[m][groups.size()];
        st.policyVariance = new double[groups.size()];
        double[][] gain = new double[1][d];
        gain[0][1] = -settings.initLr(); // Psi row 1: the normalised observed gradient
        double[][] variance = initialVariance(st.conditions, groups);
        for (int c = 0; c < m; c++) {
            for (int g = 0; g < groups.size(); g++) {
                st.controllers[c][g] = LinearGaussianController.stationary(horizon, gain, new double[1],
                        variance[c][g]);
                st.eta[c][g] = 1.0;
                st.policyVariance[g] += variance[c][g] / m;
            }
        }
        CoordinatewisePolicy probe = st.provider.create(request.policy().config(), Seeds.generator(0));
        if (probe.inputSize() != PSI) {
            throw new ConfigurationException("trainer 'gps-groups': the policy takes " + probe.inputSize()
                    + " inputs per coordinate, the lm2017 features give 3 (use lstm-coordinatewise:inputs=3,"
                    + "preprocess=none)");
        }
        st.policyParameters = new java.util.TreeMap<>(request.policy().config().text());
        String variances = java.util.Arrays.toString(java.util.Arrays.stream(st.policyVariance)
                .mapToObj(v -> String.format("%.3g", v)).toArray());
        String counts = java.util.Arrays.toString(java.util.Arrays.stream(st.recorded).mapToInt(r -> r.length).toArray());
        listener.message(String.format("initial controllers: step = -%g x normalised observed gradient, variance "
                + "%s per group; GPS state %d per coordinate, %s recorded coordinates per group", settings.initLr(),
                variances, d, counts));
        return st;
    }

    @Override
    public Iteration iterate(TrainerState state, int it, MetaTrainingListener listener) {
        State st = (State) state;
        MetaTrainingRequest request = st.request;
        int horizon = request.steps();
        int m = request.trainObjectives();
        List<Condition> conditions = st.conditions;
        List<CoordinateGroup> groups = st.groups;
        int[][] recorded = st.recorded;
        KlConstrainedLqr lqr = new KlConstrainedLqr();
        long[] phase = Phases.counters();
        long t0 = System.nanoTime();
        GroupSamples[][] data = new GroupSamples[m][];
        double sampleCost = 0;
        for (Condition c : conditions) {
            double[] cost = new double[1];
            data[c.index()] = sample(c, st.controllers[c.index()], recorded, horizon, request.seed(), it, cost,
                    listener);
            sampleCost += cost[0] / m;
        }
        phase[Phases.SAMPLING] = System.nanoTime() - t0;
        double regressionLoss = Double.NaN;
        if (!st.fitted) {
            long t1 = System.nanoTime();
            st.policy = firstPolicy(st, st.provider, data, request.seed());
            st.adam = Adam.fresh((int) st.policy.parameters().length());
            // As MDGPS does, first fit the policy to the initial controllers.
            regressionLoss = regress(st, data, groups, horizon, settings.policyIterationsFirst(), request.seed(), it);
            st.fitted = true;
            phase[Phases.REGRESSION] += System.nanoTime() - t1;
        }
        double[][] policyMeans = forward(st.policy.bind(st.regressionLayout), data, horizon);
        double klSum = 0;
        double etaLog = 0;
        int failures = 0;
        for (int c = 0; c < m; c++) {
            for (int g = 0; g < groups.size(); g++) {
                long t2 = System.nanoTime();
                GroupSamples gs = data[c][g];
                LinearGaussianDynamics dyn = DynamicsFit.fit(gs.states, gs.actions, y -> Optional.empty(),
                        settings.dynamicsRegularization());
                phase[Phases.DYNAMICS] += System.nanoTime() - t2;
                long t3 = System.nanoTime();
                LinearGaussianController reference = linearize(policyMeans, gs, regressionOffset(recorded, c, g, m),
                        st.policyVariance[g], horizon);
                KlConstrainedLqr.Result r;
                try {
                    r = lqr.solve(dyn, cost(gs, horizon), reference, st.eta[c][g], settings.klStep() * horizon);
                } catch (org.l2o.gps.linalg.NotPositiveDefiniteException e) {
                    // Ill-conditioned local models (a few samples of a noisy objective): keep this
                    // group's controller for one iteration rather than abandon the run.
                    failures++;
                    listener.message("  condition " + c + ", group " + groups.get(g).name() + ": " + e.getMessage()
                            + "; controller kept");
                    continue;
                }
                st.controllers[c][g] = r.controller();
                st.eta[c][g] = r.eta();
                klSum += r.kl() / horizon;
                etaLog += Math.log(r.eta());
                phase[Phases.LQR] += System.nanoTime() - t3;
            }
        }
        long t4 = System.nanoTime();
        regressionLoss = regress(st, data, groups, horizon, settings.policyIterations(), request.seed(), it);
        phase[Phases.REGRESSION] += System.nanoTime() - t4;

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("sample_cost", sampleCost);
        double policyCost = policyCost(st.policy, conditions.subList(0, Math.min(m, 2)), st.inputs, horizon,
                request.seed());
        metrics.put("policy_cost", policyCost);
        double validationCost = st.validation.isEmpty() ? Double.NaN
                : policyCost(st.policy, st.validation, st.inputs, horizon, request.seed());
        metrics.put("validation_cost", validationCost);
        int solved = Math.max(1, m * groups.size() - failures);
        metrics.put("kl", klSum / solved);
        metrics.put("eta", Math.exp(etaLog / solved));
        metrics.put("lqr_failures", (double) failures);
        metrics.put("regression_loss", regressionLoss);
        return new Iteration(st, learned(request, st, st.policy, st.layout.dimension()), sampleCost,
                st.validation.isEmpty() ? policyCost : validationCost, metrics, Phases.durations(phase));
    }

    /**
     * Exploration variance of the initial controllers per condition and group: {@code init-var}, or
     * when it is 0, {@code init-noise} times the root-mean-square first step of the group, squared,
     * so that the KL trust region (measured in units of the controllers' spread) allows a similar
     * relative change whatever the scale of the gradients.
     */
    private double[][] initialVariance(List<Condition> conditions, List<CoordinateGroup> groups) {
        double[][] out = new double[conditions.size()][groups.size()];
        for (Condition c : conditions) {
            double[] g = settings.initVar() > 0 ? null : DenseVectors.read(c.objective().evaluate(c.start()).gradient());
            for (int q = 0; q < groups.size(); q++) {
                if (g == null) {
                    out[c.index()][q] = settings.initVar();
                    continue;
                }
                double ss = 0;
                for (int j = groups.get(q).offset(); j < groups.get(q).end(); j++) {
                    double step = settings.initLr() * g[j] / (Math.abs(g[j]) + 1);
                    ss += step * step;
                }
                double rms = Math.sqrt(ss / groups.get(q).size());
                out[c.index()][q] = Math.max(1e-12, settings.initNoise() * settings.initNoise() * rms * rms);
            }
        }
        return out;
    }

    /** GPS state per coordinate: Psi, then Phi. */
    int stateSize() {
        return PSI + 3 * settings.history() + 1;
    }

    /** Per group, the sorted in-group indices whose transitions are kept (a seeded subset). */
    private int[][] recordedCoordinates(List<CoordinateGroup> groups, long seed) {
        int[][] out = new int[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            int size = groups.get(g).size();
            out[g] = Seeds.subset(size, Math.min(settings.coordinates(), size),
                    Seeds.generator(seed, "gps-groups-recorded", g));
        }
        return out;
    }

    /**
     * A layout the policy is bound to for regression: group g holds {@code counts[g]} recorded
     * trajectories, keeping each group's rank so networks are assigned as for the optimizee.
     */
    private static ParameterLayout regressionLayout(List<CoordinateGroup> groups, int[] counts) {
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

    /** Index in the regression layout of condition c's first trajectory of group g. */
    private int regressionOffset(int[][] recorded, int c, int g, int conditions) {
        int offset = 0;
        for (int q = 0; q < g; q++) {
            offset += conditions * settings.samples() * recorded[q].length;
        }
        return offset + c * settings.samples() * recorded[g].length;
    }

    /**
     * N trajectories of the tied controllers on one condition. Returns per group the recorded
     * transitions; adds the mean true objective over steps 1..T to {@code cost[0]}.
     */
    private GroupSamples[] sample(Condition c, LinearGaussianController[] controllers, int[][] recorded, int horizon,
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

    /**
     * The per-coordinate quadratic cost over {@code z = [s; a]}: {@code w_t ((beta_t . [s; 1]) a +
     * 1/2 h_t a^2)} with {@code w_t = (T - t) / T}, {@code h_t >= 0} the group's curvature along the
     * sampled steps, and {@code beta_t} the least-squares prediction of the coordinate's true
     * gradient from its GPS state. The state holds only what the policy can observe (the minibatch
     * features), so the controllers cannot lean on the true gradient; since a controller's step
     * depends on the state and independent noise only, {@code E[g a] = E[E[g | s] a]} and the
     * predicted gradient gives the same expected cost as the true one (to the linear fit).
     */
    private QuadraticCost cost(GroupSamples gs, int horizon) {
        int d = stateSize();
        int dz = d + 1;
        double[][][] cm = new double[horizon][dz][dz];
        double[][] cv = new double[horizon][dz];
        double[] cc = new double[horizon];
        int count = gs.states.length;
        for (int t = 0; t < horizon; t++) {
            double w = (double) (horizon - t) / horizon;
            double h = gs.curvatureDen[t] > 0 ? Math.max(0, gs.curvatureNum[t] / gs.curvatureDen[t]) : 0;
            double[] y = new double[count];
            for (int k = 0; k < count; k++) {
                y[k] = gs.gradients[k][t];
            }
            double[] beta = leastSquares(gs.states, t, y);
            for (int i = 0; i < d; i++) {
                cm[t][i][d] = w * beta[i];
                cm[t][d][i] = w * beta[i];
            }
            cv[t][d] = w * beta[d];
            cm[t][d][d] = w * h;
        }
        return new QuadraticCost(cm, cv, cc);
    }

    /**
     * Ridge regression of {@code y} on {@code [states[k][t]; 1]} over the recorded trajectories k;
     * returns the coefficients, intercept last. Each coefficient's ridge is 1e-3 of its feature's
     * spread (a standardised ridge): several state features are shared by all coordinates of a
     * sample or zero early in a run, and without it the collinear fits give huge gains whose
     * cancellation in the LQR's value function destroys positive definiteness.
     */
    private static double[] leastSquares(double[][][] states, int t, double[] y) {
        int d = states[0][t].length;
        double[][] xtx = new double[d + 1][d + 1];
        double[] xty = new double[d + 1];
        double[] row = new double[d + 1];
        for (int k = 0; k < y.length; k++) {
            System.arraycopy(states[k][t], 0, row, 0, d);
            row[d] = 1;
            for (int i = 0; i <= d; i++) {
                double ri = row[i];
                xty[i] += ri * y[k];
                for (int j = 0; j <= i; j++) {
                    xtx[i][j] += ri * row[j];
                }
            }
        }
        int count = y.length;
        double[] mean = new double[d];
        for (int i = 0; i < d; i++) {
            mean[i] = xtx[d][i] / count;
        }
        for (int i = 0; i <= d; i++) {
            for (int j = 0; j < i; j++) {
                xtx[j][i] = xtx[i][j];
            }
        }
        for (int i = 0; i < d; i++) {
            double spread = Math.max(0, xtx[i][i] - count * mean[i] * mean[i]);
            xtx[i][i] += 1e-3 * spread + 1e-12 * count;
        }
        xtx[d][d] += 1e-12 * count;
        return Mat.cholSolve(Mat.cholesky(xtx), xty);
    }

    /** Per-coordinate inputs of the recorded trajectories at step t, in the regression layout's order. */
    private static double[] inputsAt(GroupSamples[][] data, int t, int total) {
        double[] in = new double[PSI * total];
        int k = 0;
        int groups = data[0].length;
        for (int g = 0; g < groups; g++) {
            for (GroupSamples[] byCondition : data) {
                for (double[][] trajectory : byCondition[g].states) {
                    double[] s = trajectory[t];
                    for (int r = 0; r < PSI; r++) {
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
    private static double[][] forward(CoordinatewisePolicy bound, GroupSamples[][] data, int horizon) {
        int total = trajectories(data);
        double[] state = new double[total * bound.stateSize()];
        double[] next = new double[state.length];
        double[][] out = new double[horizon][];
        for (int t = 0; t < horizon; t++) {
            out[t] = bound.step(inputsAt(data, t, total), state, next, null);
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
    private LinearGaussianController linearize(double[][] means, GroupSamples gs, int offset, double variance,
                                               int horizon) {
        int d = stateSize();
        int count = gs.states.length;
        double[][][] gains = new double[horizon][][];
        double[][] offsets = new double[horizon][];
        double[][][] covs = new double[horizon][][];
        for (int t = 0; t < horizon; t++) {
            double[] y = new double[count];
            for (int k = 0; k < count; k++) {
                y[k] = means[t][offset + k];
            }
            double[] beta = leastSquares(gs.states, t, y);
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
     * unless the configuration fixes the scales.
     */
    private CoordinatewisePolicy firstPolicy(State st, CoordinatewisePolicyProvider provider, GroupSamples[][] data,
                                             long seed) {
        if (st.policyParameters.getOrDefault("input-scale", "none").equals("none")) {
            double[] sum = new double[PSI];
            double[] sq = new double[PSI];
            long count = 0;
            for (GroupSamples[] byCondition : data) {
                for (GroupSamples gs : byCondition) {
                    for (double[][] trajectory : gs.states) {
                        for (double[] s : trajectory) {
                            for (int r = 0; r < PSI; r++) {
                                sum[r] += s[r];
                                sq[r] += s[r] * s[r];
                            }
                            count++;
                        }
                    }
                }
            }
            StringBuilder b = new StringBuilder();
            for (int r = 0; r < PSI; r++) {
                double mean = sum[r] / count;
                double sd = Math.sqrt(Math.max(0, sq[r] / count - mean * mean));
                b.append(r == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.6g",
                        sd > 1e-12 ? 1 / sd : 1.0));
            }
            st.policyParameters.put("input-scale", b.toString());
        }
        return provider.create(provider.configure(st.policyParameters), Seeds.generator(seed, "gps-groups-policy", 0));
    }

    /**
     * Regresses the policy onto the controllers' mean steps along the recorded trajectories (the
     * S-step): {@code iterations} Adam steps, one per unroll of {@code policy-unroll} steps (truncated
     * BPTT, state carried), passing through the horizon on a seeded minibatch of {@code policy-batch}
     * trajectories (spread evenly over the groups) drawn afresh for every pass; squared errors
     * weighted by the controllers' precisions relative to their mean over conditions at that step.
     * Sets each group's policy variance to the inverse mean precision. Returns the last pass's weighted squared error relative to the weighted squared
     * targets (0: a perfect fit, 1: no better than steps of zero).
     */
    private double regress(State st, GroupSamples[][] data, List<CoordinateGroup> groups, int horizon,
                           int iterations, long seed, int iteration) {
        int total = trajectories(data);
        int m = data.length;
        int groupCount = data[0].length;
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
            double[] stepMean = new double[horizon];
            for (int c = 0; c < m; c++) {
                for (int t = 0; t < horizon; t++) {
                    stepMean[t] += st.controllers[c][g].precision(t)[0][0] / m;
                }
            }
            for (int c = 0; c < m; c++) {
                GroupSamples gs = data[c][g];
                LinearGaussianController ctrl = st.controllers[c][g];
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
            st.policyVariance[g] = m * horizon / precisionSum;
        }
        double[][] inputs = new double[horizon][];
        for (int t = 0; t < horizon; t++) {
            inputs[t] = inputsAt(data, t, total);
        }
        int each = Math.max(1, settings.policyBatch() / groupCount);
        int[] take = new int[groupCount];
        int batch = 0;
        for (int g = 0; g < groupCount; g++) {
            take[g] = Math.min(each, groupSize[g]);
            batch += take[g];
        }
        CoordinatewisePolicy net = st.policy.bind(regressionLayout(groups, take));
        double[] params = DenseVectors.read(st.policy.parameters());
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
                    double[] in = new double[PSI * batch];
                    for (int r = 0; r < PSI; r++) {
                        for (int i = 0; i < batch; i++) {
                            in[r * batch + i] = inputs[t][r * total + index[i]];
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
                st.adam = st.adam.step(params, grad, settings.policyLr());
                net = net.withParameters(DenseVectors.of(params));
            }
            loss = epochScale > 0 ? epochLoss / epochScale : Double.NaN;
        }
        st.policy = st.policy.withParameters(DenseVectors.of(params));
        return loss;
    }

    /** Mean true objective over steps 1..T of the policy run as an optimizer, averaged over conditions. */
    private static double policyCost(CoordinatewisePolicy policy, List<Condition> conditions, CoordinatewiseInputs in,
                                     int horizon, long seed) {
        return PolicyCost.of(new CoordinatewiseRule("gps-groups", policy, in), conditions, horizon,
                c -> Seeds.generator(seed, "gps-groups-policy-cost", c));
    }

    private LearnedOptimizer learned(MetaTrainingRequest request, State st, CoordinatewisePolicy policy, int n) {
        Provenance p = Provenance.now("gps-groups", config.text(), request, CoordinateGroupGps.class);
        return new LearnedOptimizer(request.policy().id(), st.policyParameters, request.features().id(),
                request.features().config().text(), PSI, n, Map.of("parameters", policy.parameters()), p);
    }

    @Override
    public TrainerState restore(MetaTrainingRequest request, CheckpointReader r) {
        State st = derived(request);
        int m = request.trainObjectives();
        int groups = st.groups.size();
        r.section("gps-groups");
        int conditions = r.integer();
        int g0 = r.integer();
        if (conditions != m || g0 != groups) {
            throw new ConfigurationException("checkpoint has " + conditions + " training objectives of " + g0
                    + " coordinate groups, this run " + m + " of " + groups);
        }
        st.controllers = new LinearGaussianController[m][groups];
        st.eta = new double[m][groups];
        for (int c = 0; c < m; c++) {
            for (int g = 0; g < groups; g++) {
                st.controllers[c][g] = Controllers.read(r);
                st.eta[c][g] = r.number();
            }
        }
        st.policyVariance = r.vector();
        st.policyParameters = new java.util.TreeMap<>(r.texts());
        st.fitted = r.flag();
        if (st.fitted) {
            st.policy = st.provider.restore(st.provider.configure(st.policyParameters), DenseVectors.of(r.vector()));
            st.adam = new Adam(r.vector(), r.vector(), r.longValue());
        }
        return st;
    }
}
