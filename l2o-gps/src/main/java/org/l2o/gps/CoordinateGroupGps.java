package org.l2o.gps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DenseVectors;
import org.l2o.api.Seeds;
import org.l2o.api.meta.CheckpointReader;
import org.l2o.api.meta.CheckpointWriter;
import org.l2o.api.meta.Iteration;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainer;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingLoop;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.Provenance;
import org.l2o.api.meta.TrainerState;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.RemoteRecords;
import org.l2o.api.update.RemoteTask;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.kernels.Adam;
import org.l2o.kernels.CoordinatewiseRule;

/**
 * Coordinate-group guided policy search (Li & Malik 2017, coordinate groups) for a coordinatewise
 * recurrent policy fed the observation features Psi (Li & Malik 2017). Every coordinate of the optimizee
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
 *
 * <p>With another per-coordinate feature map (such as {@code lopt} for {@code mlp-lopt}) the policy
 * reads the map's channels and the GPS state is a subset of them ({@link GroupStates}); the
 * initial controllers follow one named input ({@code init-input}), AdaGrad's direction by default.
 */
final class CoordinateGroupGps implements MetaTrainer {

    /** Settings; see {@link CoordinateGroupGpsProvider} for meanings and defaults. */
    record Settings(int iterations, int samples, double klStep, double initLr, double initVar, double initNoise,
                    int history, int stride, int coordinates, double dynamicsRegularization,
                    int policyIterationsFirst, int policyIterations, int policyUnroll, int policyBatch,
                    double policyLr, int validationObjectives, boolean laplace, double minStepMult,
                    double maxStepMult, String initInput) {

        static Settings of(Config c) {
            return new Settings(c.getInt("iterations"), c.getInt("samples"), c.getDouble("kl-step"),
                    c.getDouble("init-lr"), c.getDouble("init-var"), c.getDouble("init-noise"), c.getInt("history"),
                    c.getInt("stride"), c.getInt("coordinates"), c.getDouble("dynamics-regularization"),
                    c.getInt("policy-iterations-first"), c.getInt("policy-iterations"), c.getInt("policy-unroll"),
                    c.getInt("policy-batch"), c.getDouble("policy-lr"), c.getInt("validation-objectives"),
                    c.getString("step-adaptation").equals("laplace"), c.getDouble("min-step-mult"),
                    c.getDouble("max-step-mult"), c.getString("init-input"));
        }
    }

    private final Settings settings;
    private final Config config;
    private final RolloutExecutor rollouts;

    /** One condition's recorded transitions, its mean cost and the sample records made while drawing them. */
    private record Sampled(int condition, GroupSamples[] samples, double cost, SampleLog log) {
        byte[] encode() {
            return RemoteRecords.write(out -> {
                out.writeInt(condition);
                out.writeInt(samples.length);
                for (GroupSamples g : samples) {
                    g.write(out);
                }
                out.writeDouble(cost);
                log.write(out);
            });
        }

        static Sampled decode(byte[] bytes) {
            return RemoteRecords.read(bytes, in -> {
                int condition = in.readInt();
                GroupSamples[] samples = new GroupSamples[in.count()];
                for (int g = 0; g < samples.length; g++) {
                    samples[g] = GroupSamples.read(in);
                }
                return new Sampled(condition, samples, in.readDouble(), SampleLog.read(in));
            });
        }
    }

    /** Kind of a condition's sampling sent to a worker (see {@link #sampling}). */
    private static final String SAMPLING = "gps-groups-sample/1";

    /**
     * One condition's sampling in an iteration; on a worker the condition is rebuilt from its index
     * (the request's training objective and seeded start) and its groups' controllers travel.
     */
    private RemoteTask<Sampled> sampling(State st, Condition c, LinearGaussianController[] controllers, int it) {
        return RemoteTask.of(SAMPLING, () -> sample(st, c, controllers, it), () -> RemoteRecords.write(out -> {
            out.writeInt(it);
            out.writeInt(c.index());
            out.writeInt(controllers.length);
            for (LinearGaussianController k : controllers) {
                Controllers.write(out, k);
            }
        }), Sampled::decode);
    }

    private Sampled sample(State st, Condition c, LinearGaussianController[] controllers, int it) {
        SampleLog log = new SampleLog();
        double[] cost = new double[1];
        GroupSamples[] samples = st.sampler.sample(c, controllers, st.control, st.recorded[c.index()],
                st.request.steps(), st.request.seed(), it, cost, log);
        return new Sampled(c.index(), samples, cost[0], log);
    }

    /** On a worker: draws a condition's samples for {@code request}, its conditions built once. */
    @Override
    public RemoteTask.Handler remote(MetaTrainingRequest request) {
        State st = derived(request);
        return (kind, description) -> {
            if (!kind.equals(SAMPLING)) {
                throw RemoteTask.Handler.unknown("gps-groups", kind);
            }
            return RemoteRecords.read(description, in -> {
                int it = in.readInt();
                Condition c = st.conditions.get(in.readInt());
                LinearGaussianController[] controllers = new LinearGaussianController[in.count()];
                for (int g = 0; g < controllers.length; g++) {
                    controllers[g] = Controllers.read(in);
                }
                return sample(st, c, controllers, it);
            }).encode();
        };
    }

    CoordinateGroupGps(Settings settings, Config config, RolloutExecutor rollouts) {
        this.settings = settings;
        this.config = config;
        this.rollouts = rollouts;
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
        GroupStates states;
        /** Rows of the recorded state that form the GPS state, and the one the initial controllers follow. */
        int[] control;
        int initial;
        GroupSampler sampler;
        GroupRegression regression;
        List<Condition> conditions;
        List<Condition> validation;
        /** Per condition its coordinate groups (conditions may be nets of different shapes). */
        List<List<CoordinateGroup>> groups;
        /** Group g of the regression: the g-th group of the first condition that has one. */
        List<CoordinateGroup> regressionGroups;
        /** Per condition and group, the in-group indices whose transitions are recorded. */
        int[][][] recorded;
        ParameterLayout regressionLayout;

        LinearGaussianController[][] controllers;
        double[][] eta;
        /** With step-adaptation=laplace, per condition and group: the step multiplier and the Laplace
         *  estimates of the reference's and the new controller's cost made at the last C-step (NaN before). */
        double[][] stepMult;
        double[][] previousLaplace;
        double[][] predictedLaplace;
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
            if (stepMult != null) { // step-adaptation=laplace only, so fixed-step checkpoints keep their format
                w.matrix(stepMult).matrix(previousLaplace).matrix(predictedLaplace);
            }
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
        if (!(request.features().map() instanceof CoordinatewiseInputs inputs)) {
            throw new ConfigurationException("trainer 'gps-groups': needs a per-coordinate feature map (lm2017, the "
                    + "observation features Psi of Li & Malik 2017, or lopt); got '" + request.features().id() + "'");
        }
        st.inputs = inputs;
        st.states = GroupStates.of(request.features().id(), inputs, settings.history(), settings.stride());
        st.sampler = new GroupSampler(settings, st.states);
        st.regression = new GroupRegression(settings, st.states.policyInputs());
        st.initial = st.states.initialInput(settings.initInput());
        st.control = st.states.control(st.initial);
        st.conditions = Condition.training(request);
        st.validation = Condition.validation(request, settings.validationObjectives());
        // Controllers, dynamics and duals are per condition and group, so the conditions' layouts may
        // differ (a task family's nets of other depths and widths); the policy regression pools the
        // g-th group of every condition that has one.
        st.groups = new ArrayList<>();
        st.regressionGroups = new ArrayList<>();
        st.recorded = new int[st.conditions.size()][][];
        for (Condition c : st.conditions) {
            List<CoordinateGroup> own = c.objective().layout().groups();
            st.groups.add(own);
            st.recorded[c.index()] = st.sampler.recordedCoordinates(own, request.seed());
            for (int g = st.regressionGroups.size(); g < own.size(); g++) {
                st.regressionGroups.add(own.get(g));
            }
        }
        int[] trajectoriesPerGroup = new int[st.regressionGroups.size()];
        for (int[][] byGroup : st.recorded) {
            for (int g = 0; g < byGroup.length; g++) {
                trajectoriesPerGroup[g] += settings.samples() * byGroup[g].length;
            }
        }
        st.regressionLayout = GroupRegression.regressionLayout(st.regressionGroups, trajectoriesPerGroup);
        return st;
    }

    @Override
    public TrainerState start(MetaTrainingRequest request, MetaTrainingListener listener) {
        State st = derived(request);
        int m = request.trainObjectives();
        int horizon = request.steps();
        int d = st.control.length;
        st.controllers = new LinearGaussianController[m][];
        st.eta = new double[m][];
        st.policyVariance = new double[st.regressionGroups.size()];
        int[] having = new int[st.regressionGroups.size()];
        for (int c = 0; c < m; c++) {
            int groups = st.groups.get(c).size();
            st.controllers[c] = new LinearGaussianController[groups];
            st.eta[c] = new double[groups];
            for (int g = 0; g < groups; g++) {
                having[g]++;
            }
        }
        if (settings.laplace()) {
            st.stepMult = new double[m][];
            st.previousLaplace = new double[m][];
            st.predictedLaplace = new double[m][];
            for (int c = 0; c < m; c++) {
                int groups = st.groups.get(c).size();
                st.stepMult[c] = new double[groups];
                st.previousLaplace[c] = new double[groups];
                st.predictedLaplace[c] = new double[groups];
                java.util.Arrays.fill(st.stepMult[c], 1.0);
                java.util.Arrays.fill(st.previousLaplace[c], Double.NaN);
                java.util.Arrays.fill(st.predictedLaplace[c], Double.NaN);
            }
        }
        double[][] gain = new double[1][d];
        int initial = st.initial;
        gain[0][java.util.Arrays.binarySearch(st.control, initial)] = -settings.initLr();
        double[][] variance = initialVariance(st, initial);
        for (int c = 0; c < m; c++) {
            for (int g = 0; g < st.groups.get(c).size(); g++) {
                st.controllers[c][g] = LinearGaussianController.stationary(horizon, gain, new double[1],
                        variance[c][g]);
                st.eta[c][g] = 1.0;
                st.policyVariance[g] += variance[c][g] / having[g];
            }
        }
        CoordinatewisePolicy probe = st.provider.create(request.policy().config(), Seeds.generator(0));
        if (probe.inputSize() != st.states.policyInputs()) {
            throw new ConfigurationException("trainer 'gps-groups': the policy takes " + probe.inputSize()
                    + " inputs per coordinate, the " + request.features().id() + " features give "
                    + st.states.policyInputs() + (st.states instanceof GroupStates.Lm2017
                    ? " (use lstm-coordinatewise:inputs=3,preprocess=none)" : ""));
        }
        st.policyParameters = new java.util.TreeMap<>(request.policy().config().text());
        String variances = java.util.Arrays.toString(java.util.Arrays.stream(st.policyVariance)
                .mapToObj(v -> String.format("%.3g", v)).toArray());
        String counts = java.util.Arrays.toString(java.util.Arrays.stream(st.recorded[0]).mapToInt(r -> r.length)
                .toArray());
        boolean ragged = st.conditions.stream().anyMatch(c -> !c.objective().layout().equals(
                st.conditions.get(0).objective().layout()));
        listener.message(String.format("initial controllers: step = -%g x %s, variance "
                + "%s per group; GPS state %d per coordinate, %s recorded coordinates per group%s", settings.initLr(),
                st.states instanceof GroupStates.Lm2017 ? "normalised observed gradient" : st.states.rows().get(initial),
                variances, d, counts, ragged ? " of the first condition (the conditions' layouts differ: "
                        + st.regressionGroups.size() + " groups at most)" : ""));
        return st;
    }

    @Override
    public Iteration iterate(TrainerState state, int it, MetaTrainingListener listener) {
        State st = (State) state;
        MetaTrainingRequest request = st.request;
        int horizon = request.steps();
        int m = request.trainObjectives();
        List<Condition> conditions = st.conditions;
        int[][][] recorded = st.recorded;
        KlConstrainedLqr lqr = new KlConstrainedLqr();
        int d = st.control.length;
        long[] phase = Phases.counters();
        long t0 = System.nanoTime();
        GroupSamples[][] data = new GroupSamples[m][];
        double sampleCost = 0;
        // conditions are sampled independently, on the rollout executor's threads; results and sample
        // records come back in condition order, so the sum below adds in the same order as on one thread
        List<Callable<Sampled>> sampling = new ArrayList<>();
        for (Condition c : conditions) {
            sampling.add(sampling(st, c, st.controllers[c.index()], it));
        }
        double[] costs = new double[m];
        rollouts.invokeAll(sampling, done -> {
            data[done.condition()] = done.samples();
            costs[done.condition()] = done.cost();
            done.log().replayTo(listener);
        });
        for (int c = 0; c < m; c++) {
            sampleCost += costs[c] / m;
        }
        phase[Phases.SAMPLING] = System.nanoTime() - t0;
        GroupSamples[][] gpsData = project(data, st.control);
        double regressionLoss = Double.NaN;
        if (!st.fitted) {
            long t1 = System.nanoTime();
            st.policy = st.regression.firstPolicy(st.policyParameters, st.provider, data, request.seed());
            st.adam = Adam.fresh((int) st.policy.parameters().length());
            // As MDGPS does, first fit the policy to the initial controllers.
            regressionLoss = regress(st, data, gpsData, horizon, settings.policyIterationsFirst(), request.seed(), it);
            st.fitted = true;
            phase[Phases.REGRESSION] += System.nanoTime() - t1;
        }
        double[][] policyMeans = st.regression.forward(st.policy.bind(st.regressionLayout), data, horizon);
        double klSum = 0;
        double etaLog = 0;
        int failures = 0;
        int slots = 0;
        for (int c = 0; c < m; c++) {
            List<CoordinateGroup> groups = st.groups.get(c);
            slots += groups.size();
            for (int g = 0; g < groups.size(); g++) {
                long t2 = System.nanoTime();
                GroupSamples gs = gpsData[c][g];
                LinearGaussianDynamics dyn;
                try {
                    dyn = DynamicsFit.fit(gs.states, gs.actions, y -> Optional.empty(),
                            settings.dynamicsRegularization());
                } catch (org.l2o.gps.linalg.NotPositiveDefiniteException e) {
                    failures++; // as below: the samples do not pin down a model; keep the controller
                    listener.message("  condition " + c + ", group " + groups.get(g).name() + ": dynamics fit "
                            + e.getMessage() + "; controller kept");
                    continue;
                }
                phase[Phases.DYNAMICS] += System.nanoTime() - t2;
                long t3 = System.nanoTime();
                LinearGaussianController reference = GroupRegression.linearize(policyMeans, gs,
                        st.regression.regressionOffset(recorded, c, g), st.policyVariance[g], horizon, d);
                QuadraticCost cost = GroupCost.cost(gs, horizon, d);
                double step = settings.klStep();
                if (st.stepMult != null) {
                    if (!Double.isNaN(st.predictedLaplace[c][g])) {
                        st.stepMult[c][g] = adjustStep(st, c, g,
                                KlConstrainedLqr.expectedCost(dyn, st.controllers[c][g], cost));
                    }
                    step *= st.stepMult[c][g];
                }
                KlConstrainedLqr.Result r;
                try {
                    r = lqr.solve(dyn, cost, reference, st.eta[c][g], step * horizon);
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
                if (st.stepMult != null) {
                    st.previousLaplace[c][g] = KlConstrainedLqr.expectedCost(dyn, reference, cost);
                    st.predictedLaplace[c][g] = KlConstrainedLqr.expectedCost(dyn, r.controller(), cost);
                }
                klSum += r.kl() / horizon;
                etaLog += Math.log(r.eta());
                phase[Phases.LQR] += System.nanoTime() - t3;
            }
        }
        long t4 = System.nanoTime();
        regressionLoss = regress(st, data, gpsData, horizon, settings.policyIterations(), request.seed(), it);
        phase[Phases.REGRESSION] += System.nanoTime() - t4;

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("sample_cost", sampleCost);
        double policyCost = policyCost(st.policy, conditions.subList(0, Math.min(m, 2)), st.inputs, horizon,
                request.seed());
        metrics.put("policy_cost", policyCost);
        double validationCost = st.validation.isEmpty() ? Double.NaN
                : policyCost(st.policy, st.validation, st.inputs, horizon, request.seed());
        metrics.put("validation_cost", validationCost);
        int solved = Math.max(1, slots - failures);
        metrics.put("kl", klSum / solved);
        metrics.put("eta", Math.exp(etaLog / solved));
        metrics.put("lqr_failures", (double) failures);
        metrics.put("regression_loss", regressionLoss);
        // samples of every condition, then the policy run on up to 2 training and the validation conditions
        metrics.put(MetaTrainingLoop.INNER_STEPS, (double) horizon * ((long) settings.samples() * m
                + Math.min(m, 2) + st.validation.size()));
        if (st.stepMult != null) {
            double logs = 0;
            for (double[] row : st.stepMult) {
                for (double v : row) {
                    logs += Math.log(v);
                }
            }
            metrics.put("step_mult", Math.exp(logs / slots));
        }
        return new Iteration(st, learned(request, st, st.policy, conditions.get(0).objective().dimension()),
                sampleCost, st.validation.isEmpty() ? policyCost : validationCost, metrics, Phases.durations(phase));
    }

    /**
     * Exploration variance of the initial controllers per condition and group: {@code init-var}, or
     * when it is 0, {@code init-noise} times the root-mean-square first step of the group, squared,
     * so that the KL trust region (measured in units of the controllers' spread) allows a similar
     * relative change whatever the scale of the gradients. The first step is {@code init-lr} times
     * the initial input at the start (for the 2017 state, the normalised gradient {@code g / (|g| + 1)}).
     */
    private double[][] initialVariance(State st, int initial) {
        List<Condition> conditions = st.conditions;
        double[][] out = new double[conditions.size()][];
        boolean lm2017 = st.states instanceof GroupStates.Lm2017;
        for (Condition c : conditions) {
            List<CoordinateGroup> groups = st.groups.get(c.index());
            out[c.index()] = new double[groups.size()];
            double[] input = settings.initVar() > 0 ? null : initialInput(st, c, initial);
            for (int q = 0; q < groups.size(); q++) {
                if (input == null) {
                    out[c.index()][q] = settings.initVar();
                    continue;
                }
                double ss = 0;
                for (int j = groups.get(q).offset(); j < groups.get(q).end(); j++) {
                    double step = lm2017 ? settings.initLr() * input[j] / (Math.abs(input[j]) + 1)
                            : settings.initLr() * input[j];
                    ss += step * step;
                }
                double rms = Math.sqrt(ss / groups.get(q).size());
                out[c.index()][q] = Math.max(1e-12, settings.initNoise() * settings.initNoise() * rms * rms);
            }
        }
        return out;
    }

    /**
     * Per coordinate, the initial controllers' input at condition c's start, the true gradient
     * observed; for the 2017 state the gradient itself (normalised by the caller).
     */
    private static double[] initialInput(State st, Condition c, int row) {
        org.l2o.api.objective.Evaluation e = c.objective().evaluate(c.start());
        double[] g = DenseVectors.read(e.gradient());
        if (st.states instanceof GroupStates.Lm2017) {
            return g;
        }
        int n = g.length;
        double[] state = new double[st.states.size() * n];
        st.states.start(c.objective()).push(0, e.value(), e.gradient(), DenseVectors.read(c.start()), c.start(), state);
        return java.util.Arrays.copyOfRange(state, row * n, (row + 1) * n);
    }

    /**
     * The next step multiplier of condition {@code c}, group {@code g} (Levine and Abbeel 2014, step
     * size adjustment, as the 2016 trainer does): the improvement the last C-step's Laplace estimate
     * predicted against the one realised, {@code actual} being the new controller's cost under the
     * dynamics fitted to its own samples; kept within [min-step-mult, max-step-mult].
     */
    private double adjustStep(State st, int c, int g, double actual) {
        double predictedImprovement = st.previousLaplace[c][g] - st.predictedLaplace[c][g];
        double actualImprovement = st.previousLaplace[c][g] - actual;
        double mult = predictedImprovement / (2 * Math.max(1e-4, predictedImprovement - actualImprovement));
        if (!Double.isFinite(mult)) {
            mult = 0.1;
        }
        mult = Math.max(0.1, Math.min(5, mult));
        return Math.max(settings.minStepMult(), Math.min(settings.maxStepMult(), mult * st.stepMult[c][g]));
    }

    /** The S-step through {@link GroupRegression#regress}, taking its result into the state. */
    private double regress(State st, GroupSamples[][] data, GroupSamples[][] gpsData, int horizon, int iterations,
                           long seed, int iteration) {
        GroupRegression.Fitted f = st.regression.regress(st.policy, st.adam, st.controllers, st.policyVariance, data,
                gpsData, st.regressionGroups, horizon, iterations, seed, iteration);
        st.policy = f.policy();
        st.adam = f.adam();
        return f.loss();
    }

    /** The samples with their states cut to the GPS state. */
    private static GroupSamples[][] project(GroupSamples[][] data, int[] control) {
        GroupSamples[][] out = new GroupSamples[data.length][];
        for (int c = 0; c < data.length; c++) {
            out[c] = new GroupSamples[data[c].length];
            for (int g = 0; g < data[c].length; g++) {
                out[c][g] = data[c][g].project(control);
            }
        }
        return out;
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
                request.features().config().text(), st.states.policyInputs(), n, Map.of("parameters", policy.parameters()), p);
    }

    @Override
    public TrainerState restore(MetaTrainingRequest request, CheckpointReader r) {
        State st = derived(request);
        int m = request.trainObjectives();
        r.section("gps-groups");
        int conditions = r.integer();
        int g0 = r.integer();
        if (conditions != m || g0 != st.groups.get(0).size()) {
            throw r.corrupt(conditions + " training objectives, the first of " + g0 + " coordinate groups; this run "
                    + "has " + m + ", the first of " + st.groups.get(0).size());
        }
        st.controllers = new LinearGaussianController[m][];
        st.eta = new double[m][];
        for (int c = 0; c < m; c++) {
            int groups = st.groups.get(c).size();
            st.controllers[c] = new LinearGaussianController[groups];
            st.eta[c] = new double[groups];
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
        if (settings.laplace()) {
            st.stepMult = r.matrix();
            st.previousLaplace = r.matrix();
            st.predictedLaplace = r.matrix();
            for (double[][] a : new double[][][] {st.stepMult, st.previousLaplace, st.predictedLaplace}) {
                boolean fits = a.length == m;
                for (int c = 0; fits && c < m; c++) {
                    fits = a[c].length == st.groups.get(c).size();
                }
                if (!fits) {
                    throw r.corrupt("step multipliers for " + a.length + " conditions, this run has " + m);
                }
            }
        }
        return st;
    }
}
