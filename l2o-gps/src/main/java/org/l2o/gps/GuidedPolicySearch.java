package org.l2o.gps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
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
import org.l2o.api.objective.Objective;
import org.l2o.api.update.DifferentiablePolicy;
import org.l2o.api.update.RemoteRecords;
import org.l2o.api.update.RemoteTask;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.gps.linalg.Mat;
import org.l2o.kernels.PolicyRule;

/**
 * Guided policy search for learning an optimizer (Li & Malik 2016, the GPS settings; Levine & Abbeel 2014; Montgomery & Levine 2016). In
 * its mirror-descent form (MDGPS, Montgomery & Levine 2016; Levine et al. 2016, the default) each iteration samples N trajectories per training
 * objective from the local linear-Gaussian controllers, fits dynamics and a quadratic cost around
 * them, linearises the global policy, adapts each condition's step size from the Laplace cost
 * estimates, solves the KL-constrained LQR with the linearised policy as the reference (C-step)
 * and regresses the policy onto the new controllers (S-step). The iteration whose policy does best
 * on held-out validation objectives is kept. The BADMM form (variant=badmm) replaces the C- and
 * S-steps by {@link #badmmIteration}.
 *
 * <p>Deterministic for a given seed on one thread: every random number comes from generators
 * derived from the request seed and the iteration, so a resumed run continues exactly as an
 * uninterrupted one would.
 */
final class GuidedPolicySearch implements MetaTrainer {

    private final GpsSettings settings;
    private final Config config;
    private final RolloutExecutor rollouts;

    GuidedPolicySearch(GpsSettings settings, Config config, RolloutExecutor rollouts) {
        this.settings = settings;
        this.config = config;
        this.rollouts = rollouts;
    }

    /** One condition's samples and the sample records made while drawing them. */
    private record Sampled(SampleBatch batch, SampleLog log) {
        byte[] encode() {
            return RemoteRecords.write(out -> {
                batch.write(out);
                log.write(out);
            });
        }

        static Sampled decode(byte[] bytes) {
            return RemoteRecords.read(bytes, in -> new Sampled(SampleBatch.read(in), SampleLog.read(in)));
        }
    }

    /** Kind of a condition's sampling sent to a worker (see {@link #sampling}). */
    private static final String SAMPLING = "gps-sample/1";

    /**
     * One condition's sampling in an iteration; on a worker the condition is rebuilt from its index
     * (the request's training objective and seeded start) and the controller travels.
     */
    private RemoteTask<Sampled> sampling(State st, Condition c, LinearGaussianController controller, int it) {
        return RemoteTask.of(SAMPLING, () -> sample(st, c, controller, it), () -> RemoteRecords.write(out -> {
            out.writeInt(it);
            out.writeInt(c.index());
            Controllers.write(out, controller);
        }), Sampled::decode);
    }

    private Sampled sample(State st, Condition c, LinearGaussianController controller, int it) {
        SampleLog log = new SampleLog();
        RandomGenerator r = Seeds.generator(st.request.seed(), "gps-samples-" + it, c.index());
        return new Sampled(st.sampler.sample(c, controller, settings.samples(), r, log, it), log);
    }

    /** On a worker: draws a condition's samples for {@code request}, its conditions built once. */
    @Override
    public RemoteTask.Handler remote(MetaTrainingRequest request) {
        State st = derived(request);
        return (kind, description) -> {
            if (!kind.equals(SAMPLING)) {
                throw RemoteTask.Handler.unknown("gps", kind);
            }
            return RemoteRecords.read(description, in -> {
                int it = in.readInt();
                Condition c = st.conditions.get(in.readInt());
                return sample(st, c, Controllers.read(in), it);
            }).encode();
        };
    }

    /**
     * Everything carried from one iteration to the next; the first block is derived from the
     * request on start and restore, the rest is written to checkpoints.
     */
    private static final class State implements TrainerState {
        MetaTrainingRequest request;
        List<Condition> conditions;
        List<Condition> validation;
        int n;
        int inputSize;
        int history;
        Sampler sampler;

        List<LinearGaussianController> controllers = new ArrayList<>();
        double[] eta;
        double[] stepMult;
        double[] previousLaplace;
        double[] predictedLaplace;
        DifferentiablePolicy policy;
        org.l2o.kernels.Adam adam;
        boolean policyFitted;
        /** BADMM duals lambda[m][t][a] and penalty weights nu[m][t]; unused by MDGPS. */
        double[][][] lambda;
        double[][] nu;

        @Override
        public void write(CheckpointWriter w) {
            w.section("gps").integer(controllers.size());
            for (int c = 0; c < controllers.size(); c++) {
                Controllers.write(w, controllers.get(c));
                w.number(eta[c]).number(stepMult[c]).number(previousLaplace[c]).number(predictedLaplace[c])
                        .matrix(lambda[c]).vector(nu[c]);
            }
            w.arrays(policy.weights()).vector(adam.m()).vector(adam.v()).longValue(adam.t()).flag(policyFitted);
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
        if (!request.features().id().equals("lm2016")
                || !request.features().config().getBoolean("current-gradient")) {
            throw new ConfigurationException("trainer 'gps': needs the lm2016 feature map with current-gradient=true "
                    + "(its initial controllers and structured dynamics are written in that state)");
        }
        State st = new State();
        st.request = request;
        st.history = request.features().config().getInt("history");
        st.conditions = Condition.training(request);
        st.validation = Condition.validation(request, settings.validationObjectives());
        Objective first = st.conditions.get(0).objective();
        st.n = first.dimension();
        st.inputSize = request.features().map().size(first.layout());
        st.sampler = new Sampler(request.features().map(), settings.costHessian());
        return st;
    }

    @Override
    public Iteration iterate(TrainerState state, int it, MetaTrainingListener listener) {
        State st = (State) state;
        MetaTrainingRequest request = st.request;
        int horizon = request.steps();
        int m = request.trainObjectives();
        int n = st.n;
        int history = st.history;
        List<Condition> conditions = st.conditions;
        KlConstrainedLqr lqr = new KlConstrainedLqr();
        long[] phase = Phases.counters(); // LQR includes the linearisation and step adjustment
        List<SampleBatch> batches = new ArrayList<>();
        // conditions are sampled independently (each from its own seed), on the rollout executor's
        // threads; their batches and sample records come back in condition order
        long t0 = System.nanoTime();
        List<Callable<Sampled>> sampling = new ArrayList<>();
        for (Condition c : conditions) {
            sampling.add(sampling(st, c, st.controllers.get(c.index()), it));
        }
        rollouts.invokeAll(sampling, done -> {
            batches.add(done.batch());
            done.log().replayTo(listener);
        });
        phase[Phases.SAMPLING] += System.nanoTime() - t0;
        // Dynamics and dense costs are built per condition when needed and dropped after: for the
        // 12-parameter net classifier they take tens of megabytes per objective.
        final int iteration = it;
        java.util.function.IntFunction<LinearGaussianDynamics> dyn = c -> {
            long t1 = System.nanoTime();
            LinearGaussianDynamics d = fitDynamics(batches.get(c), n, history, request.seed(), iteration);
            phase[Phases.DYNAMICS] += System.nanoTime() - t1;
            return d;
        };
        double regressionLoss = Double.NaN;
        long t2 = System.nanoTime();
        if (!st.policyFitted) {
            // MDGPS starts by fitting the policy to the initial controllers.
            regressionLoss = regress(st, batches, n, settings.policyIterationsFirst(), request.seed(), it, "first");
            st.policyFitted = true;
        }
        phase[Phases.REGRESSION] += System.nanoTime() - t2;
        long t3 = System.nanoTime();
        double[] kl = new double[m];
        if (settings.variant().equals("badmm")) {
            regressionLoss = badmmIteration(st, batches, dyn, conditions, n, horizon, it, request.seed(), kl, lqr,
                    phase);
        } else {
            for (int c = 0; c < m; c++) {
                SampleBatch b = batches.get(c);
                LinearGaussianDynamics d = dyn.apply(c);
                QuadraticCost cost = b.cost();
                LinearGaussianController reference = PolicyFit.linearize(st.policy, b, n);
                if (!Double.isNaN(st.predictedLaplace[c])) {
                    st.stepMult[c] = adjustStep(st, c, KlConstrainedLqr.expectedCost(d, st.controllers.get(c), cost));
                }
                double target = settings.klStep() * st.stepMult[c] * horizon;
                KlConstrainedLqr.Result r = lqr.solve(d, cost, reference, st.eta[c], target);
                st.controllers.set(c, r.controller());
                st.eta[c] = r.eta();
                kl[c] = r.kl();
                st.previousLaplace[c] = KlConstrainedLqr.expectedCost(d, reference, cost);
                st.predictedLaplace[c] = KlConstrainedLqr.expectedCost(d, r.controller(), cost);
            }
            phase[Phases.LQR] += System.nanoTime() - t3;
            long t4 = System.nanoTime();
            regressionLoss = regress(st, batches, n, settings.policyIterations(), request.seed(), it, "update");
            phase[Phases.REGRESSION] += System.nanoTime() - t4;
        }
        double sampleCost = batches.stream().mapToDouble(SampleBatch::meanTotalCost).average().orElse(0) / horizon;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("sample_cost", sampleCost);
        double policyCost = policyCost(st.policy, conditions.subList(0, Math.min(m, 20)), request, horizon);
        metrics.put("policy_cost", policyCost);
        double validationCost = st.validation.isEmpty() ? Double.NaN
                : policyCost(st.policy, st.validation, request, horizon);
        metrics.put("validation_cost", validationCost);
        metrics.put("kl", mean(kl) / horizon);
        metrics.put("eta", Math.exp(mean(log(st.eta))));
        metrics.put("step_mult", mean(st.stepMult));
        metrics.put("regression_loss", regressionLoss);
        // samples of every condition, then the policy run on up to 20 training and the validation conditions
        metrics.put(MetaTrainingLoop.INNER_STEPS, (double) horizon * ((long) settings.samples() * m
                + Math.min(m, 20) + st.validation.size()));
        return new Iteration(st, learned(request, st.policy, st.inputSize, n), sampleCost,
                st.validation.isEmpty() ? policyCost : validationCost, metrics, Phases.durations(phase));
    }

    private static double[] log(double[] v) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = Math.log(v[i]);
        }
        return o;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    @Override
    public TrainerState start(MetaTrainingRequest request, MetaTrainingListener listener) {
        State st = derived(request);
        List<Condition> conditions = st.conditions;
        int horizon = request.steps();
        int history = st.history;
        int n = st.n;
        int inputSize = st.inputSize;
        int m = conditions.size();
        MomentumInit.Setting global = MomentumInit.tune(conditions, settings.initLrGrid(), settings.initMomentumGrid(),
                horizon, history);
        listener.message(String.format("initial controllers: momentum lr=%g momentum=%g (mean summed cost %.6g)",
                global.lr(), global.momentum(), global.cost()));
        for (Condition c : conditions) {
            MomentumInit.Setting s = settings.init().equals("per-objective")
                    ? MomentumInit.tune(List.of(c), settings.initLrGrid(), settings.initMomentumGrid(), horizon, history)
                    : global;
            st.controllers.add(MomentumInit.controller(s, n, history, horizon, settings.initVariance()));
        }
        st.eta = filled(m, 1.0);
        st.stepMult = filled(m, 1.0);
        st.previousLaplace = filled(m, Double.NaN);
        st.predictedLaplace = filled(m, Double.NaN);
        st.lambda = new double[m][horizon][n];
        st.nu = new double[m][];
        for (int c = 0; c < m; c++) {
            st.nu[c] = filled(horizon, settings.initPolicyWeight());
        }
        st.policy = request.policy().as(org.l2o.api.update.PolicyProvider.class, "gps").create(request.policy().config(), inputSize, n,
                Seeds.generator(request.seed(), "gps-policy-init", 0));
        st.adam = org.l2o.kernels.Adam.fresh((int) st.policy.parameters().length());
        return st;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private LinearGaussianDynamics fitDynamics(SampleBatch b, int n, int history, long seed, int it) {
        if (settings.dynamics().equals("structured")) {
            return StructuredDynamics.fit(b, n, history, settings.dynamicsRegularization());
        }
        int horizon = b.horizon();
        double[][] pool = new double[b.samples() * (horizon - 1)][];
        int k = 0;
        for (int s = 0; s < b.samples(); s++) {
            for (int t = 0; t + 1 < horizon; t++) {
                pool[k++] = Mat.concat(Mat.concat(b.states()[s][t], b.actions()[s][t]), b.states()[s][t + 1]);
            }
        }
        RandomGenerator r = Seeds.generator(seed, "gps-gmm", it);
        if (pool.length > settings.gmmPoints()) {
            // a seeded random subset keeps EM affordable in the large joint space
            for (int i = 0; i < settings.gmmPoints(); i++) {
                int j = i + r.nextInt(pool.length - i);
                double[] tmp = pool[i];
                pool[i] = pool[j];
                pool[j] = tmp;
            }
            pool = java.util.Arrays.copyOf(pool, settings.gmmPoints());
        }
        GaussianMixture gmm = GaussianMixture.fit(pool, settings.gmmClusters(), r);
        return DynamicsFit.fit(b.states(), b.actions(), y -> Optional.of(gmm.prior(y, 1.0)),
                settings.dynamicsRegularization());
    }

    /** Step-size adaptation from the Laplace estimates (Levine & Abbeel 2014, KL-constrained LQR, Algorithm._set_new_mult). */
    private double adjustStep(State st, int c, double actual) {
        double predictedImprovement = st.previousLaplace[c] - st.predictedLaplace[c];
        double actualImprovement = st.previousLaplace[c] - actual;
        double mult = predictedImprovement / (2 * Math.max(1e-4, predictedImprovement - actualImprovement));
        if (!Double.isFinite(mult)) {
            mult = 0.1;
        }
        mult = Math.max(0.1, Math.min(5, mult));
        return Math.max(settings.minStepMult(), Math.min(settings.maxStepMult(), mult * st.stepMult[c]));
    }

    private double regress(State st, List<SampleBatch> batches, int n, int iterations, long seed, int it, String which) {
        PolicyFit.Data data = PolicyFit.data(batches, st.controllers, n);
        if (settings.whiten() && !st.policyFitted) {
            st.policy = PolicyFit.whiten(st.policy, data);
        }
        PolicyFit.Fitted f = PolicyFit.regress(st.policy, data, st.adam, iterations, settings.policyBatch(),
                settings.policyLr(), Seeds.generator(seed, "gps-regression-" + which, it));
        st.policy = f.policy();
        st.adam = f.adam();
        return f.loss();
    }

    /**
     * One BADMM iteration (Montgomery & Levine 2016; Levine et al. 2016, AlgorithmBADMM) after the dynamics fit: {@code inner} times, a
     * policy regression onto the dual-shifted controller means (skipped on the very first pass,
     * which fits the initial controllers), the policy linearisation, the dual step on lambda, and
     * the trajectory step: the KL-constrained LQR around the previous local controller with the
     * nu-weighted policy term in its cost. Then the penalty weights grow with the KL between local
     * controllers and policy: {@code nu_t <- max(nu_t + lg_step KL_t, 0)}.
     */
    private double badmmIteration(State st, List<SampleBatch> batches,
                                  java.util.function.IntFunction<LinearGaussianDynamics> dyn,
                                  List<Condition> conditions, int n, int horizon, int it, long seed, double[] kl,
                                  KlConstrainedLqr lqr, long[] phase) {
        int m = conditions.size();
        int inner = settings.innerIterations() > 0 ? settings.innerIterations() : 4;
        double loss = Double.NaN;
        for (int k = 0; k < inner; k++) {
            long t0 = System.nanoTime();
            boolean first = !st.policyFitted;
            if (first) {
                loss = regress(st, batches, n, settings.policyIterationsFirst(), seed, it, "first");
                st.policyFitted = true;
            } else {
                PolicyFit.Data data = PolicyFit.data(batches, st.controllers, n, st.lambda, st.nu);
                PolicyFit.Fitted f = PolicyFit.regress(st.policy, data, st.adam, settings.policyIterations(),
                        settings.policyBatch(), settings.policyLr(), Seeds.generator(seed, "gps-regression-" + k, it));
                st.policy = f.policy();
                st.adam = f.adam();
                loss = f.loss();
            }
            phase[Phases.REGRESSION] += System.nanoTime() - t0;
            long t1 = System.nanoTime();
            for (int c = 0; c < m; c++) {
                SampleBatch b = batches.get(c);
                LinearGaussianDynamics d = dyn.apply(c);
                QuadraticCost cost = b.cost();
                LinearGaussianController policy = PolicyFit.linearize(st.policy, b, n);
                LinearGaussianController previous = st.controllers.get(c);
                if (!first) {
                    dualStep(st, c, b, previous, n);
                }
                if (k == 0 && !Double.isNaN(st.predictedLaplace[c])) {
                    st.stepMult[c] = adjustStep(st, c, KlConstrainedLqr.expectedCost(d, previous, cost));
                }
                double target = settings.klStep() * st.stepMult[c] * horizon;
                KlConstrainedLqr.Result r = lqr.solve(d, cost, previous, st.eta[c], target,
                        new KlConstrainedLqr.PolicyTerm(policy, st.nu[c], st.lambda[c]));
                st.controllers.set(c, r.controller());
                st.eta[c] = r.eta();
                kl[c] = r.kl();
                if (k == inner - 1) {
                    st.previousLaplace[c] = KlConstrainedLqr.expectedCost(d, previous, cost);
                    st.predictedLaplace[c] = KlConstrainedLqr.expectedCost(d, r.controller(), cost);
                }
            }
            phase[Phases.LQR] += System.nanoTime() - t1;
        }
        for (int c = 0; c < m; c++) {
            double[] klt = policyKl(st.policy, st.controllers.get(c), batches.get(c), n);
            for (int t = 0; t < horizon; t++) {
                st.nu[c][t] = Math.max(st.nu[c][t] + settings.lgStep() * klt[t], 0);
            }
        }
        return loss;
    }

    /** {@code lambda_t <- lambda_t - r nu_t P_t mean_n(u_traj - u_pol)} at the sampled states. */
    private void dualStep(State st, int c, SampleBatch b, LinearGaussianController traj, int n) {
        for (int t = 0; t < b.horizon(); t++) {
            double[][] pol = st.policy.mean(PolicyFit.features(b, t, n)).toDoubleMatrix();
            double[] diff = new double[traj.actionDimension()];
            for (int s = 0; s < b.samples(); s++) {
                diff = Mat.add(diff, Mat.scale(Mat.sub(traj.mean(t, b.states()[s][t]), pol[s]), 1.0 / b.samples()));
            }
            double[] step = Mat.scale(Mat.mul(traj.precision(t), diff), settings.dualRate() * st.nu[c][t]);
            st.lambda[c][t] = Mat.sub(st.lambda[c][t], step);
        }
    }

    /** Per step, the mean over samples of KL(local controller || policy) at the sampled states. */
    static double[] policyKl(org.l2o.api.update.DifferentiablePolicy policy, LinearGaussianController traj,
                             SampleBatch b, int n) {
        double[][] cov = policy.covariance().toDoubleMatrix();
        double[][] l = Mat.cholesky(cov);
        double[][] prec = Mat.cholSolve(l, Mat.identity(cov.length));
        double logDet = Mat.logDetFromCholesky(l);
        double[] out = new double[b.horizon()];
        for (int t = 0; t < b.horizon(); t++) {
            double[][] pol = policy.mean(PolicyFit.features(b, t, n)).toDoubleMatrix();
            double base = 0.5 * (Mat.traceOfProduct(prec, traj.covariance(t)) - cov.length + logDet
                    - traj.logDetCovariance(t));
            double sum = 0;
            for (int s = 0; s < b.samples(); s++) {
                double[] d = Mat.sub(pol[s], traj.mean(t, b.states()[s][t]));
                sum += base + 0.5 * Mat.quad(prec, d);
            }
            out[t] = Math.max(0, sum / b.samples());
        }
        return out;
    }

    /** Mean true objective over steps 1..T of the policy run as an optimizer, averaged over conditions. */
    private static double policyCost(DifferentiablePolicy policy, List<Condition> conditions, MetaTrainingRequest req,
                                     int horizon) {
        return PolicyCost.of(new PolicyRule("gps", req.features().map(), policy), conditions, horizon,
                c -> Seeds.generator(0));
    }

    private LearnedOptimizer learned(MetaTrainingRequest request, DifferentiablePolicy policy, int inputSize, int n) {
        Provenance p = Provenance.now("gps", config.text(), request, GuidedPolicySearch.class);
        return new LearnedOptimizer(request.policy().id(), request.policy().config().text(), request.features().id(),
                request.features().config().text(), inputSize, n, policy.weights(), p);
    }

    @Override
    public TrainerState restore(MetaTrainingRequest request, CheckpointReader r) {
        State st = derived(request);
        int m = request.trainObjectives();
        r.section("gps");
        int conditions = r.integer();
        if (conditions != m) {
            throw r.corrupt(conditions + " training objectives, this run has " + m);
        }
        st.eta = new double[m];
        st.stepMult = new double[m];
        st.previousLaplace = new double[m];
        st.predictedLaplace = new double[m];
        st.lambda = new double[m][][];
        st.nu = new double[m][];
        for (int c = 0; c < m; c++) {
            st.controllers.add(Controllers.read(r));
            st.eta[c] = r.number();
            st.stepMult[c] = r.number();
            st.previousLaplace[c] = r.number();
            st.predictedLaplace[c] = r.number();
            st.lambda[c] = r.matrix();
            st.nu[c] = r.vector();
        }
        var provider = request.policy().as(org.l2o.api.update.PolicyProvider.class, "gps");
        st.policy = provider.restore(request.policy().config(), st.inputSize, st.n, r.arrays());
        st.adam = new org.l2o.kernels.Adam(r.vector(), r.vector(), r.longValue());
        st.policyFitted = r.flag();
        return st;
    }
}
