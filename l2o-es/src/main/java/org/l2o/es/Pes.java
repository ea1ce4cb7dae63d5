package org.l2o.es;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import java.util.function.IntToLongFunction;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DenseVectors;
import org.l2o.api.NativeMemory;
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
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Oracle;
import org.l2o.api.update.RemoteRecords;
import org.l2o.api.update.RemoteTask;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.kernels.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Persistent evolution strategies (Vicol, Metz and Sohl-Dickstein 2021, "Unbiased gradient
 * estimation in unrolled computation graphs with persistent evolution strategies"), antithetic.
 *
 * <p>N pairs of particles each train a task of the training family with the learned optimizer;
 * every iteration draws a perturbation eps_i ~ N(0, sigma^2) per pair, unrolls the pair's
 * particles K inner steps with theta + eps_i and theta - eps_i, and adds eps_i to the pair's
 * accumulated perturbation xi_i (reset when its episode ends). The meta-gradient
 * {@code sum_i (L+_i - L-_i) xi_i / (2 N sigma^2)} is unbiased for the meta-loss of whole episodes,
 * where truncated ES, which uses eps_i alone, is biased towards short horizons. Both particles of a
 * pair share the task, its initial point and its minibatches (common random numbers), so their
 * difference measures the perturbation and not the draw. Episode lengths are log-uniform; the first
 * episode of each pair is cut short at random so that pairs are out of phase. {@code variant=es}
 * unrolls fresh whole episodes every iteration instead (xi = eps). Adam on theta.
 *
 * <p>Rollouts run on the creation context's executor; each particle's computation depends only on
 * the seed and theta, and results are combined in pair order, so the optimizer is the same bit for
 * bit with any number of threads. Episode starts, truncations and validation runs are remote tasks:
 * on a cluster they run on workers too (see {@link #remote}), the particles' state travelling with
 * them.
 */
final class Pes implements MetaTrainer {

    /** Minibatch streams are indexed by episode and step: steps per episode below this. */
    private static final long STEPS_PER_EPISODE = 1L << 26;

    /** Kinds of the rollouts sent to workers. */
    private static final String BEGIN = "pes-begin/1";
    private static final String TRUNCATION = "pes-unroll/1";
    private static final String VALIDATION = "pes-validate/1";

    private final Config config;
    private final RolloutExecutor rollouts;

    Pes(Config config, RolloutExecutor rollouts) {
        this.config = config;
        this.rollouts = rollouts;
    }

    @Override
    public int iterations() {
        return config.getInt("iterations");
    }

    @Override
    public String divergenceAdvice() {
        return "try a smaller sigma or lr";
    }

    private boolean plain() {
        return config.getString("variant").equals("es");
    }

    private boolean logLoss() {
        return !config.getString("meta-loss").equals("mean");
    }

    /** Whether the meta-loss adds the true objective at the unroll's end (the final loss, not only the path). */
    private boolean withFinal() {
        return config.getString("meta-loss").equals("log-mean-final");
    }

    /** What the request fixes once: the policy class, its configuration and the per-coordinate inputs. */
    private record Setup(MetaTrainingRequest request, CoordinatewisePolicyProvider provider,
                         CoordinatewiseInputs inputs) {

        CoordinatewisePolicy policy(double[] theta) {
            return provider.restore(request.policy().config(), Nd4j.createFromArray(theta));
        }

        Objective task(long episode) {
            return request.family().train(request.seed(), (int) (episode % request.trainObjectives()));
        }

        /** Validation objective {@code index} (the request's held-out objectives). */
        Objective validationTask(int index) {
            return request.validationObjective(index);
        }
    }

    private Setup setup(MetaTrainingRequest request) {
        CoordinatewisePolicyProvider provider = request.policy().as(CoordinatewisePolicyProvider.class, "pes");
        CoordinatewiseInputs inputs = request.features().map() instanceof CoordinatewiseInputs ci ? ci : null;
        return new Setup(request, provider, inputs);
    }

    /**
     * One inner training run: its iterate, recurrent state and feature history. The history is live
     * ({@code track}) while the particle is unrolled in this JVM; an unroll on a worker sends it back
     * as numbers ({@code saved}), restored when a local unroll next needs it. Both null: not started.
     */
    private static final class Particle {
        double[] x;
        double[] recurrent;
        CoordinatewiseInputs.Track track;
        double[] saved;

        /** The feature history as numbers ({@link CoordinatewiseInputs.Track#save}); empty: none or not started. */
        double[] history() {
            return track != null ? track.save() : saved != null ? saved : new double[0];
        }

        /** The live feature history on {@code task}'s layout, or null where the policy takes the bare gradient. */
        CoordinatewiseInputs.Track track(Setup setup, Objective task) {
            if (track == null && setup.inputs() != null) {
                track = saved == null || saved.length == 0 ? setup.inputs().start(task.layout())
                        : setup.inputs().restore(task.layout(), saved);
                saved = null;
            }
            return track;
        }

        /** Iterate, recurrent state and feature history, as a truncation's description and answer carry them. */
        void write(RemoteRecords.Out out) throws IOException {
            out.vector(x);
            out.vector(recurrent);
            out.vector(history());
        }

        /** What {@link #write} wrote; the history stays as numbers until a local unroll needs it. */
        void read(RemoteRecords.In in) throws IOException {
            x = in.vector();
            recurrent = in.vector();
            saved = in.vector();
            track = null;
        }

        /** A fresh start at {@code x0}. */
        void reset(double[] x0, int stateSize) {
            x = x0.clone();
            recurrent = new double[x0.length * stateSize];
            track = null;
            saved = null;
        }
    }

    /** Two particles on one task, with the perturbation they have accumulated this episode. */
    private static final class Pair {
        long episode;
        int length;
        int t;
        double startLoss;
        boolean done;
        double[] xi;
        final Particle[] particles = {new Particle(), new Particle()};
        private Objective task; // derived from the episode when an unroll here needs it; not written

        synchronized Objective task(Setup setup) {
            if (task == null) {
                task = setup.task(episode);
            }
            return task;
        }
    }

    private static final class State implements TrainerState {
        final Setup setup;
        double[] theta;
        Adam adam;
        long nextEpisode;
        final Pair[] pairs;

        State(Setup setup, double[] theta, Adam adam, long nextEpisode, Pair[] pairs) {
            this.setup = setup;
            this.theta = theta;
            this.adam = adam;
            this.nextEpisode = nextEpisode;
            this.pairs = pairs;
        }

        @Override
        public void write(CheckpointWriter out) {
            out.section("pes").vector(theta).vector(adam.m()).vector(adam.v()).longValue(adam.t())
                    .longValue(nextEpisode).integer(pairs.length);
            for (Pair p : pairs) {
                out.longValue(p.episode).integer(p.length).integer(p.t).number(p.startLoss).flag(p.done).vector(p.xi);
                for (Particle q : p.particles) {
                    out.vector(q.x).vector(q.recurrent).vector(q.history());
                }
            }
        }
    }

    @Override
    public TrainerState start(MetaTrainingRequest request, MetaTrainingListener listener) {
        Setup s = setup(request);
        CoordinatewisePolicy policy = s.provider().create(request.policy().config(),
                Seeds.generator(request.seed(), "pes-init", 0));
        int given = s.inputs() == null ? 1 : s.inputs().size();
        if (policy.inputSize() != given) {
            throw new ConfigurationException("trainer 'pes': policy '" + request.policy().id() + "' takes "
                    + policy.inputSize() + " inputs per coordinate, feature map '" + request.features().id() + "' gives "
                    + (s.inputs() == null ? "none (the gradient is 1)" : given));
        }
        double[] theta = policy.parameters().toDoubleVector();
        int pairs = config.getInt("pairs");
        State st = new State(s, theta, Adam.fresh(theta.length), 0, new Pair[pairs]);
        for (int i = 0; i < pairs; i++) {
            st.pairs[i] = new Pair();
        }
        begin(st, List.of(st.pairs));
        if (!plain()) {
            for (int i = 0; i < pairs; i++) {
                // out of phase: the first episode of each pair ends at a random fraction of its length
                double u = Seeds.generator(request.seed(), "pes-phase", i).nextDouble();
                st.pairs[i].length = Math.max(1, (int) Math.ceil(u * st.pairs[i].length));
            }
        }
        return st;
    }

    /**
     * Runs the unrolls longest first (cost: the task's dimension times its steps) and returns the
     * results in task order. Tasks differ in size by an order of magnitude, and a pool that takes
     * them in pair order can leave one thread running the largest alone at the end; the results do
     * not depend on the order.
     */
    private List<Unroll> longestFirst(List<Callable<Unroll>> tasks, IntToLongFunction cost) {
        Integer[] order = new Integer[tasks.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> -cost.applyAsLong(i))
                .thenComparingInt(i -> i));
        List<Callable<Unroll>> sorted = new ArrayList<>(tasks.size());
        for (int i : order) {
            sorted.add(tasks.get(i));
        }
        List<Unroll> done = rollouts.invokeAll(sorted, u -> { });
        Unroll[] results = new Unroll[tasks.size()];
        for (int k = 0; k < order.length; k++) {
            results[order[k]] = done.get(k);
        }
        return List.of(results);
    }

    /**
     * Starts the next episode on each of {@code pairs}: episode numbers in order here, then each
     * pair's new task, initial point and starting loss on the rollout threads (building a task can
     * cost more than a truncation's unroll, and pairs do not share it).
     */
    private void begin(State st, List<Pair> pairs) {
        MetaTrainingRequest request = st.setup.request();
        double lo = Math.log(config.getInt("min-length"));
        double hi = Math.log(config.getInt("max-length"));
        int stateSize = st.setup.policy(st.theta).stateSize();
        List<Callable<Void>> tasks = new ArrayList<>(pairs.size());
        for (Pair pair : pairs) {
            pair.episode = st.nextEpisode++;
            RandomGenerator r = Seeds.generator(request.seed(), "pes-length", pair.episode);
            pair.length = (int) Math.round(Math.exp(lo + (hi - lo) * r.nextDouble()));
            pair.t = 0;
            pair.done = false;
            pair.xi = new double[st.theta.length];
            synchronized (pair) {
                pair.task = null;
            }
            tasks.add(begin(st.setup, pair, stateSize));
        }
        rollouts.invokeAll(tasks, v -> { });
    }

    /** Where an episode starts: its initial point and the loss there. */
    private record Start(double[] x0, double startLoss) {
    }

    private static Start start(Setup setup, Objective task, long episode) {
        MetaTrainingRequest request = setup.request();
        double[] x0 = DenseVectors.read(task.initialPoint(Seeds.generator(request.seed(), "pes-start", episode)));
        return new Start(x0, task.estimate(DenseVectors.of(x0), batches(request, episode, 0)).value());
    }

    /** A pair's new episode: its particles' start and the starting loss (the task is built where it runs). */
    private static RemoteTask<Void> begin(Setup setup, Pair pair, int stateSize) {
        Function<Start, Void> apply = s -> {
            pair.startLoss = s.startLoss();
            for (Particle q : pair.particles) {
                q.reset(s.x0(), stateSize);
            }
            return null;
        };
        return RemoteTask.of(BEGIN, () -> apply.apply(start(setup, pair.task(setup), pair.episode)),
                () -> RemoteRecords.write(out -> out.writeLong(pair.episode)),
                bytes -> RemoteRecords.read(bytes, in -> apply.apply(new Start(in.vector(), in.readDouble()))));
    }

    /** A worker's side of {@link #begin}. */
    private static byte[] begin(Setup setup, Tasks tasks, byte[] description) {
        long episode = RemoteRecords.read(description, RemoteRecords.In::readLong);
        Start s = start(setup, tasks.get(episode), episode);
        return RemoteRecords.write(out -> {
            out.vector(s.x0());
            out.writeDouble(s.startLoss());
        });
    }

    private static RandomGenerator batches(MetaTrainingRequest request, long episode, int step) {
        return Seeds.generator(request.seed(), "pes-batch", episode * STEPS_PER_EPISODE + step);
    }

    @Override
    public TrainerState restore(MetaTrainingRequest request, CheckpointReader in) {
        Setup s = setup(request);
        in.section("pes");
        double[] theta = in.vector();
        s.policy(theta); // validates the length
        Adam adam = new Adam(in.vector(), in.vector(), in.longValue());
        long nextEpisode = in.longValue();
        int count = in.integer();
        if (count != config.getInt("pairs") || adam.m().length != theta.length || adam.v().length != theta.length) {
            throw in.corrupt("PES state for " + count + " pairs and " + theta.length + " meta-parameters");
        }
        Pair[] pairs = new Pair[count];
        for (int i = 0; i < count; i++) {
            Pair p = new Pair();
            p.episode = in.longValue();
            p.length = in.integer();
            p.t = in.integer();
            p.startLoss = in.number();
            p.done = in.flag();
            p.xi = in.vector();
            Objective task = p.task(s);
            if (p.xi.length != theta.length || p.t < 0 || p.t > p.length) {
                throw in.corrupt("pair " + i);
            }
            for (Particle q : p.particles) {
                q.x = in.vector();
                q.recurrent = in.vector();
                double[] track = in.vector();
                if (q.x.length != task.dimension()) {
                    throw in.corrupt("particle of pair " + i + " with " + q.x.length + " coordinates");
                }
                // restored here, so a corrupt history names the checkpoint; empty: not started yet
                q.track = s.inputs() == null || track.length == 0 ? null : s.inputs().restore(task.layout(), track);
            }
            pairs[i] = p;
        }
        return new State(s, theta, adam, nextEpisode, pairs);
    }

    /** What unrolling one particle gave. */
    private record Unroll(double metaLoss, double meanLoss, boolean diverged) {
    }

    /**
     * One particle's truncation: {@code count} steps with the perturbed meta-parameters from the
     * pair's current step. On a worker the particle travels as numbers both ways (iterate, recurrent
     * state, feature history), so a worker keeps nothing between iterations and any worker, or this
     * JVM, can run the next truncation.
     */
    private RemoteTask<Unroll> truncation(Setup setup, double[] theta, Pair pair, Particle particle, int count) {
        return RemoteTask.of(TRUNCATION,
                () -> unroll(setup, theta, pair.episode, pair.t, pair.startLoss, pair.task(setup), particle, count),
                () -> RemoteRecords.write(out -> {
                    out.vector(theta);
                    out.writeLong(pair.episode);
                    out.writeInt(pair.t);
                    out.writeDouble(pair.startLoss);
                    out.writeInt(count);
                    particle.write(out);
                }),
                bytes -> RemoteRecords.read(bytes, in -> {
                    Unroll u = new Unroll(in.readDouble(), in.readDouble(), in.readBoolean());
                    particle.read(in);
                    return u;
                }));
    }

    /** A worker's side of {@link #truncation}. */
    private byte[] truncation(Setup setup, Tasks tasks, byte[] description) {
        return RemoteRecords.read(description, in -> {
            double[] theta = in.vector();
            long episode = in.readLong();
            int t = in.readInt();
            double startLoss = in.readDouble();
            int count = in.readInt();
            Particle q = new Particle();
            q.read(in);
            Unroll u = unroll(setup, theta, episode, t, startLoss, tasks.get(episode), q, count);
            return RemoteRecords.write(out -> {
                out.writeDouble(u.metaLoss());
                out.writeDouble(u.meanLoss());
                out.writeBoolean(u.diverged());
                q.write(out);
            });
        });
    }

    @Override
    public Iteration iterate(TrainerState trainerState, int it, MetaTrainingListener listener) {
        State st = (State) trainerState;
        MetaTrainingRequest request = st.setup.request();
        int n = st.pairs.length;
        double sigma = config.getDouble("sigma");
        long began = System.nanoTime();
        List<Callable<Unroll>> tasks = new ArrayList<>(2 * n);
        double[][] eps = new double[n][];
        int[] steps = new int[n];
        List<Pair> starting = new ArrayList<>();
        for (Pair p : st.pairs) {
            if (p.done || plain()) {
                starting.add(p);
            }
        }
        begin(st, starting);
        Duration startingEpisodes = Duration.ofNanos(System.nanoTime() - began);
        for (int i = 0; i < n; i++) {
            Pair p = st.pairs[i];
            RandomGenerator r = Seeds.generator(request.seed(), "pes-noise", (long) it * n + i);
            eps[i] = new double[st.theta.length];
            for (int k = 0; k < eps[i].length; k++) {
                eps[i][k] = sigma * r.nextGaussian();
                p.xi[k] += eps[i][k];
            }
            steps[i] = plain() ? p.length : Math.min(config.getInt("truncation"), p.length - p.t);
            for (int sign = 0; sign < 2; sign++) {
                double[] perturbed = st.theta.clone();
                for (int k = 0; k < perturbed.length; k++) {
                    perturbed[k] += sign == 0 ? eps[i][k] : -eps[i][k];
                }
                tasks.add(truncation(st.setup, perturbed, p, p.particles[sign], steps[i]));
            }
        }
        List<Unroll> results = longestFirst(tasks, i -> (long) st.pairs[i / 2].particles[0].x.length * steps[i / 2]);
        double[] g = new double[st.theta.length];
        double trainLoss = 0;
        int diverged = 0;
        double[] differences = new double[n];
        for (int i = 0; i < n; i++) {
            differences[i] = results.get(2 * i).metaLoss() - results.get(2 * i + 1).metaLoss();
        }
        double shape = config.getString("shaping").equals("std") ? spread(differences) : 1;
        for (int i = 0; i < n; i++) {
            Pair p = st.pairs[i];
            Unroll plus = results.get(2 * i);
            Unroll minus = results.get(2 * i + 1);
            double w = differences[i] / shape / (2 * n * sigma * sigma);
            for (int k = 0; k < g.length; k++) {
                g[k] += w * p.xi[k];
            }
            trainLoss += (plus.meanLoss() + minus.meanLoss()) / (2 * n);
            p.t += steps[i];
            if (plus.diverged() || minus.diverged()) {
                diverged++;
            }
            p.done = p.t >= p.length || plus.diverged() || minus.diverged();
        }
        double norm = DenseVectors.norm2(g);
        double clip = config.getDouble("clip");
        if (clip > 0 && norm > clip) {
            for (int k = 0; k < g.length; k++) {
                g[k] *= clip / norm;
            }
        }
        st.adam = st.adam.step(st.theta, g, config.getDouble("lr"));
        Duration training = Duration.ofNanos(System.nanoTime() - began).minus(startingEpisodes);

        long validating = System.nanoTime();
        int validation = config.getInt("validation-objectives");
        boolean validate = validation > 0 && ((it + 1) % config.getInt("validate-every") == 0 || it + 1 == iterations());
        double validationCost = validate ? validate(st.setup, st.theta, validation) : Double.NaN;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_loss", trainLoss);
        metrics.put("meta_gradient_norm", norm);
        metrics.put("diverged_pairs", (double) diverged);
        metrics.put("episodes", (double) st.nextEpisode);
        metrics.put("validation_cost", validationCost);
        long inner = 0;
        for (int i = 0; i < n; i++) {
            inner += 2L * steps[i];
        }
        // validation runs: this candidate's, and at the first iteration the starting optimizer's
        inner += (long) ((validate ? 1 : 0) + (it == 0 && validation > 0 ? 1 : 0)) * validation * request.steps();
        metrics.put(MetaTrainingLoop.INNER_STEPS, (double) inner);
        Iteration.Scored started = null;
        if (it == 0 && validation > 0) {
            // the starting optimizer on the same held-out tasks: what meta-training has to beat (and is kept
            // where no candidate does)
            double[] start = st.setup.provider().create(request.policy().config(),
                    Seeds.generator(request.seed(), "pes-init", 0)).parameters().toDoubleVector();
            double startCost = validate(st.setup, start, validation);
            metrics.put("start_validation_cost", startCost);
            started = new Iteration.Scored(learned(st.setup, start), startCost);
        }
        double score = validation == 0 ? trainLoss : validationCost;
        Map<String, Duration> durations = new LinkedHashMap<>();
        durations.put("starting", startingEpisodes);
        durations.put("unrolling", training);
        durations.put("validation", Duration.ofNanos(System.nanoTime() - validating));
        return new Iteration(st, learned(st.setup, st.theta), trainLoss, score, metrics, durations, started);
    }

    /**
     * The root mean square of {@code differences} (their spread about zero), or 1 where it is zero
     * or there is a single one: with {@code shaping=std} the pairs' loss differences are divided by
     * it, so the meta-gradient's size does not depend on how much the losses of this iteration's
     * tasks happen to react (Adam then sees comparable steps).
     */
    static double spread(double[] differences) {
        if (differences.length < 2) {
            return 1;
        }
        double squares = 0;
        for (double d : differences) {
            squares += d * d;
        }
        double rms = Math.sqrt(squares / differences.length);
        return rms > 0 && Double.isFinite(rms) ? rms : 1;
    }

    /**
     * Runs one particle {@code count} steps with {@code theta} from the pair's current step; its
     * meta-loss is the mean minibatch loss at the iterates the steps reach (its log for
     * {@code log-mean}; plus the true objective at the last iterate for {@code log-mean-final}, the
     * fitness of Metz et al.'s ES experiments, which rewards where the run ends and not only its path), capped at e times the episode's starting loss, which is also what a run that
     * became non-finite scores.
     */
    private Unroll unroll(Setup setup, double[] theta, long episode, int from, double startLoss, Objective f,
                          Particle q, int count) {
        MetaTrainingRequest request = setup.request();
        CoordinatewisePolicy policy = setup.policy(theta).bind(f.layout());
        CoordinatewiseInputs.Track track = q.track(setup, f);
        int dim = q.x.length;
        INDArray x = DenseVectors.of(q.x);
        INDArray gradient = Nd4j.createUninitialized(DataType.DOUBLE, dim);
        double total = 0;
        boolean diverged = false;
        for (int s = 0; s <= count; s++) {
            NativeMemory.checkpoint();
            int t = from + s;
            RandomGenerator batch = batches(request, episode, t);
            double value = f.estimateInto(x, batch, gradient);
            if (s > 0) {
                if (!Double.isFinite(value)) {
                    diverged = true;
                    break;
                }
                total += value;
            }
            if (s == count) {
                break;
            }
            Observation o = new Observation(t, x, value, gradient,
                    Oracle.uncounted(p -> f.estimate(p, batch))); // extras on the step's minibatch stream
            double[] in = track == null ? DenseVectors.read(gradient) : track.push(o);
            double[] next = new double[q.recurrent.length];
            double[] dx = policy.step(in, q.recurrent, next, null);
            q.recurrent = next;
            for (int j = 0; j < dim; j++) {
                q.x[j] += dx[j];
            }
            DenseVectors.write(q.x, x);
        }
        double mean = total / count;
        double fitness = mean;
        double start = startLoss;
        if (withFinal() && !diverged) {
            double last = f.value(x);
            diverged = !Double.isFinite(last);
            fitness += last;
            start *= 2;
        }
        double cap = logLoss() ? Math.log(Math.max(start, Double.MIN_NORMAL)) + 1
                : start + (Math.E - 1) * Math.abs(start);
        double loss = logLoss() ? Math.log(Math.max(fitness, Double.MIN_NORMAL)) : fitness;
        if (diverged || !(loss <= cap)) {
            loss = cap;
        }
        return new Unroll(loss, diverged ? Double.NaN : mean, diverged);
    }

    /**
     * The candidate on held-out objectives of the training stream (indices after the training ones),
     * {@code request.steps()} steps each: the mean over them of the final true objective (its log for
     * {@code log-mean}), infinite when a run becomes non-finite.
     */
    private double validate(Setup setup, double[] theta, int count) {
        List<Callable<Double>> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(validation(setup, theta, i));
        }
        double total = 0;
        for (double v : rollouts.invokeAll(tasks, v -> { })) {
            total += v / count;
        }
        return total;
    }

    /** The final true objective (its log for the log meta-losses) of one validation run, infinite if it diverged. */
    private double validation(Setup setup, double[] theta, int index, Objective f) {
        MetaTrainingRequest request = setup.request();
        Particle q = new Particle();
        q.reset(DenseVectors.read(f.initialPoint(Seeds.generator(request.seed(), "pes-val-start", index))),
                setup.policy(theta).stateSize());
        Unroll u = unroll(setup, theta, -1 - index, 0, Double.POSITIVE_INFINITY, f, q, request.steps());
        if (u.diverged()) {
            return Double.POSITIVE_INFINITY;
        }
        double last = f.value(DenseVectors.of(q.x));
        return logLoss() ? Math.log(Math.max(last, Double.MIN_NORMAL)) : last;
    }

    /** One held-out validation run of the candidate. */
    private RemoteTask<Double> validation(Setup setup, double[] theta, int index) {
        return RemoteTask.of(VALIDATION, () -> validation(setup, theta, index, setup.validationTask(index)),
                () -> RemoteRecords.write(out -> {
                    out.vector(theta);
                    out.writeInt(index);
                }), bytes -> RemoteRecords.read(bytes, RemoteRecords.In::readDouble));
    }

    /**
     * On a worker: runs this trainer's rollouts for {@code request} (episode starts, truncations and
     * validation runs). The tasks of recent episodes are kept, so a worker that gets the next
     * truncation of a pair does not build its task again.
     */
    @Override
    public RemoteTask.Handler remote(MetaTrainingRequest request) {
        Setup setup = setup(request);
        Tasks tasks = new Tasks(setup, 2 * config.getInt("pairs") + config.getInt("validation-objectives"));
        return (kind, description) -> switch (kind) {
            case BEGIN -> begin(setup, tasks, description);
            case TRUNCATION -> truncation(setup, tasks, description);
            case VALIDATION -> RemoteRecords.write(out -> out.writeDouble(RemoteRecords.read(description, in -> {
                double[] theta = in.vector();
                int index = in.readInt();
                return validation(setup, theta, index, tasks.get(-1L - index));
            })));
            default -> throw RemoteTask.Handler.unknown("pes", kind);
        };
    }

    /**
     * A worker's recent tasks by episode (validation objective i under -1 - i), each built once even
     * when two truncations of its pair ask at the same time.
     */
    private static final class Tasks {
        private final Setup setup;
        private final Map<Long, FutureTask<Objective>> recent;

        Tasks(Setup setup, int capacity) {
            this.setup = setup;
            this.recent = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, FutureTask<Objective>> eldest) {
                    return size() > capacity;
                }
            };
        }

        Objective get(long key) {
            FutureTask<Objective> task;
            synchronized (recent) {
                task = recent.computeIfAbsent(key, k -> new FutureTask<>(() -> k >= 0 ? setup.task(k)
                        : setup.validationTask((int) (-1 - k))));
            }
            task.run();
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building a task", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    private LearnedOptimizer learned(Setup setup, double[] theta) {
        MetaTrainingRequest request = setup.request();
        Provenance p = Provenance.now("pes", config.text(), request, Pes.class);
        int n = request.family().train(request.seed(), 0).dimension();
        boolean features = setup.inputs() != null;
        return new LearnedOptimizer(request.policy().id(), request.policy().config().text(),
                features ? request.features().id() : "none",
                features ? request.features().config().text() : Map.of(), features ? setup.inputs().size() : 1, n,
                Map.of("parameters", Nd4j.createFromArray(theta.clone())), p);
    }
}
