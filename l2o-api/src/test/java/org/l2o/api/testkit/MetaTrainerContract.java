package org.l2o.api.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.l2o.api.CreationContext;
import org.l2o.api.DataFormatException;
import org.l2o.api.Seeds;
import org.l2o.api.meta.CheckpointReader;
import org.l2o.api.meta.CheckpointWriter;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingLoop;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.update.RemoteTask;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.UpdateRule;

/**
 * What every meta-trainer must do, checked the same way for each: a trainer's tests extend this
 * class (as a {@code @Nested} class) and supply the provider, a small budget and a small request.
 * It checks that the same seed gives the same learned optimizer bit for bit; that resuming from the
 * checkpoint after any iteration gives exactly the uninterrupted result; one checkpoint and one
 * metrics record per iteration; that a truncated checkpoint fails with a {@link DataFormatException};
 * that the candidate survives a round trip through the checkpoint codec and runs in {@link Rollout}
 * through its policy class; that candidates are scored on the request's validation objectives; and
 * that meta-training lowers the cost on held-out objectives of the family below that of the
 * untrained policy.
 */
public abstract class MetaTrainerContract {

    /** The trainer under test. */
    protected abstract MetaTrainerProvider provider();

    /** Raw trainer parameters for a small run of {@code iterations} iterations. */
    protected abstract Map<String, String> parameters(int iterations);

    /** A small request (family, horizon, policy class and features), resuming from {@code resume}. */
    protected abstract MetaTrainingRequest request(Optional<byte[]> resume);

    /** The optimizer the policy class gives before any meta-training, for the same request. */
    protected abstract UpdateRule untrained(MetaTrainingRequest request);

    /** Iterations of the runs that check determinism and resumption. */
    protected int iterations() {
        return 2;
    }

    /** Iterations of the run whose held-out cost must fall below the untrained policy's. */
    protected int improvementIterations() {
        return iterations();
    }

    /** Held-out objectives (the family's test stream) the improvement is measured on. */
    protected int heldOutObjectives() {
        return 5;
    }

    /** Runs the trainer for {@code iterations} from {@code resume}, collecting checkpoints and metrics. */
    protected final Run run(int iterations, Optional<byte[]> resume) {
        return run(iterations, resume, CreationContext.defaults());
    }

    private Run run(int iterations, Optional<byte[]> resume, CreationContext context) {
        return run(iterations, request(resume), context);
    }

    private Run run(int iterations, MetaTrainingRequest request, CreationContext context) {
        Run run = new Run();
        MetaTrainerProvider p = provider();
        run.result = p.create(p.configure(parameters(iterations)), context).train(request, run);
        return run;
    }

    /** What one run produced. */
    protected static final class Run implements MetaTrainingListener {
        public final List<byte[]> checkpoints = new ArrayList<>();
        public final List<Integer> checkpointIterations = new ArrayList<>();
        public final List<Map<String, Double>> metrics = new ArrayList<>();
        /** Every sample record, as text, in the order it came. */
        public final List<String> samples = new ArrayList<>();
        public MetaTrainingResult result;

        @Override
        public void sample(int iteration, int condition, int sample, int step, double cost, double[] features,
                           double[] action) {
            samples.add(iteration + "/" + condition + "/" + sample + "/" + step + " " + cost + " "
                    + Arrays.toString(features) + " " + Arrays.toString(action));
        }

        @Override
        public void iteration(int iteration, int iterations, Map<String, Double> m) {
            metrics.add(m);
        }

        @Override
        public void checkpoint(int iteration, byte[] state, LearnedOptimizer current) {
            checkpoints.add(state);
            checkpointIterations.add(iteration);
        }
    }

    /** The learned arrays, flattened, in name order. */
    protected static Map<String, double[]> weights(LearnedOptimizer lo) {
        Map<String, double[]> out = new TreeMap<>();
        lo.weights().forEach((k, v) -> out.put(k, v.dup('c').data().asDouble()));
        return out;
    }

    private static void assertSameWeights(LearnedOptimizer expected, LearnedOptimizer actual, String what) {
        Map<String, double[]> a = weights(expected);
        Map<String, double[]> b = weights(actual);
        assertEquals(a.keySet(), b.keySet(), what + ": weight arrays");
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), 0.0, what + ": weights '" + k + "' differ"));
    }

    /** The rule a learned optimizer runs, restored by its policy class as the runtime does. */
    protected UpdateRule rule(LearnedOptimizer lo, MetaTrainingRequest request) {
        var features = lo.featureMap().equals(request.features().id()) ? Optional.of(request.features().map())
                : Optional.<org.l2o.api.update.FeatureMap>empty();
        return request.policy().provider().rule("learned", lo, features);
    }

    /** Mean true objective over steps 1..T on held-out objectives; infinite when a run stops early. */
    protected double heldOutCost(UpdateRule rule, MetaTrainingRequest request) {
        double total = 0;
        for (int i = 0; i < heldOutObjectives(); i++) {
            Objective f = request.family().test(request.seed(), i);
            Rollout.Result r = Rollout.run(f, rule, f.initialPoint(Seeds.generator(request.seed(), "contract-start", i)),
                    request.steps(), Seeds.generator(request.seed(), "contract-minibatch", i));
            if (r.stoppedEarly(request.steps())) {
                return Double.POSITIVE_INFINITY;
            }
            for (int t = 1; t <= request.steps(); t++) {
                total += r.values()[t] / request.steps() / heldOutObjectives();
            }
        }
        return total;
    }

    /** The request with its candidates scored on the training stream of {@code family}. */
    private static MetaTrainingRequest validatedOn(MetaTrainingRequest r, ObjectiveFamily family) {
        return new MetaTrainingRequest(r.family(), r.objective(), r.objectiveParameters(), r.trainObjectives(),
                r.steps(), r.seed(), r.policy(), r.features(), r.resume(),
                Optional.of(new MetaTrainingRequest.Validation(family, "shifted", Map.of())));
    }

    /** {@code family}'s training stream from objective {@code shift} on. */
    private static ObjectiveFamily shifted(ObjectiveFamily family, int shift) {
        return new ObjectiveFamily() {
            @Override
            public String id() {
                return family.id();
            }

            @Override
            public Objective sample(java.util.random.RandomGenerator random) {
                return family.sample(random);
            }

            @Override
            public Objective train(long seed, int index) {
                return family.train(seed, shift + index);
            }
        };
    }

    /** The metrics without wall times. */
    private static List<Map<String, Double>> untimed(List<Map<String, Double>> metrics) {
        return metrics.stream().map(m -> {
            Map<String, Double> out = new TreeMap<>(m);
            out.keySet().removeIf(k -> k.endsWith("seconds"));
            return (Map<String, Double>) out;
        }).toList();
    }

    /** Each iteration's validation cost, NaN where it did not validate. */
    private static List<Double> validationCosts(Run run) {
        return run.metrics.stream().map(m -> m.getOrDefault("validation_cost", Double.NaN)).toList();
    }

    /**
     * Candidates are scored on the request's validation objectives: a validation family that gives
     * the held-out objectives the trainer would take anyway changes nothing, bit for bit, and one
     * that gives other objectives changes the validation cost (and is named in the provenance).
     */
    @Test
    void candidatesAreScoredOnTheRequestsValidationObjectives() {
        MetaTrainingRequest plain = request(Optional.empty());
        Run a = run(iterations(), plain, CreationContext.defaults());
        Run same = run(iterations(), validatedOn(plain, shifted(plain.family(), plain.trainObjectives())),
                CreationContext.defaults());
        assertSameWeights(a.result.optimizer(), same.result.optimizer(), "the same held-out objectives");
        assertEquals(untimed(a.metrics), untimed(same.metrics), "the same held-out objectives: metrics");
        assertEquals("shifted {}", same.result.optimizer().provenance().environment().get("validation.objective"));
        assertEquals(null, a.result.optimizer().provenance().environment().get("validation.objective"));
        List<Double> costs = validationCosts(a);
        org.junit.jupiter.api.Assumptions.assumeTrue(costs.stream().anyMatch(c -> !c.isNaN()),
                provider().id() + " validates no candidate in this small run");
        Run other = run(iterations(), validatedOn(plain, shifted(plain.family(), plain.trainObjectives() + 1000)),
                CreationContext.defaults());
        assertTrue(!costs.toString().equals(validationCosts(other).toString()),
                "other validation objectives, costs " + costs);
    }

    @Test
    void theSameSeedGivesTheSameOptimizerBitForBit() {
        Run a = run(iterations(), Optional.empty());
        Run b = run(iterations(), Optional.empty());
        assertSameWeights(a.result.optimizer(), b.result.optimizer(), "two runs with one seed");
        assertEquals(provider().id(), a.result.optimizer().provenance().trainer());
    }

    /** Rollouts spread over threads (the runtime's default) change nothing, sample records included. */
    @Test
    void parallelRolloutsGiveTheSameOptimizerAndRecords() {
        Run sequential = run(iterations(), Optional.empty());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            Run parallel = run(iterations(), Optional.empty(), CreationContext.defaults().withRollouts(
                    new org.l2o.api.update.RolloutExecutor() {
                        @Override
                        public int parallelism() {
                            return 3;
                        }

                        @Override
                        public <T> List<T> invokeAll(List<? extends java.util.concurrent.Callable<T>> tasks,
                                                     java.util.function.Consumer<T> inOrder) {
                            List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
                            tasks.forEach(t -> futures.add(pool.submit(t)));
                            List<T> out = new ArrayList<>();
                            for (var f : futures) {
                                try {
                                    T r = f.get();
                                    out.add(r);
                                    inOrder.accept(r);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                            return out;
                        }
                    }));
            assertSameWeights(sequential.result.optimizer(), parallel.result.optimizer(), "parallel rollouts");
            assertEquals(sequential.samples, parallel.samples, "sample records, in order");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Whether the trainer's rollouts are {@link RemoteTask}s: then at least one must travel in
     * {@link #rolloutsOnAnotherWorkerGiveTheSameOptimizer}.
     */
    protected boolean remoteRollouts() {
        return false;
    }

    /**
     * Remote tasks sent through a second trainer's {@link org.l2o.api.meta.MetaTrainer#remote handler}
     * (as a worker in another JVM would: a trainer and request of its own, bytes both ways), every
     * other one of them, or all, change nothing.
     */
    @Test
    void rolloutsOnAnotherWorkerGiveTheSameOptimizer() {
        Run local = run(iterations(), Optional.empty());
        MetaTrainerProvider p = provider();
        RemoteTask.Handler worker = p.create(p.configure(parameters(iterations())), CreationContext.defaults())
                .remote(request(Optional.empty()));
        for (int every : new int[] {1, 2}) {
            RemoteLoopback loopback = new RemoteLoopback(worker, every);
            Run remote = run(iterations(), Optional.empty(), CreationContext.defaults().withRollouts(loopback));
            assertSameWeights(local.result.optimizer(), remote.result.optimizer(),
                    "rollouts on a worker (every " + every + ")");
            assertEquals(local.samples, remote.samples, "sample records, in order");
            if (remoteRollouts()) {
                assertTrue(!loopback.sent().isEmpty(), "no rollout was sent to the worker");
            }
        }
    }

    /**
     * The candidate's provenance carries the run's budget: the inner steps the trainer reported per
     * iteration, summed, the iterations and the wall time; a run resumed from a checkpoint ends with
     * the same count as an uninterrupted one.
     */
    @Test
    void theBudgetAddsUpTheReportedInnerStepsAndSurvivesAResume() {
        Run whole = run(iterations(), Optional.empty());
        long reported = whole.metrics.stream()
                .mapToLong(m -> Math.round(m.getOrDefault(MetaTrainingLoop.INNER_STEPS, 0.0))).sum();
        Map<String, String> budget = whole.result.optimizer().provenance().budget();
        assertEquals(Long.toString(reported), budget.get("inner_steps"), budget.toString());
        assertEquals(Integer.toString(iterations()), budget.get("iterations"));
        assertTrue(Double.parseDouble(budget.get("seconds")) >= 0, budget.toString());
        // the candidate kept: the last iteration's best (0-based in the metrics, 1-based in the file; -2 and 0:
        // the starting optimizer)
        long best = Math.round(whole.metrics.get(whole.metrics.size() - 1).get("best_iteration"));
        assertEquals(best == -1 ? null : Long.toString(best == -2 ? 0 : best + 1), budget.get("kept_iteration"),
                budget.toString());
        if (whole.metrics.get(0).containsKey(MetaTrainingLoop.INNER_STEPS)) {
            assertTrue(reported > 0, "a trainer that reports inner steps runs some");
        }
        Run resumed = run(iterations(), Optional.of(whole.checkpoints.get(0)));
        Map<String, String> again = resumed.result.optimizer().provenance().budget();
        assertEquals(budget.get("inner_steps"), again.get("inner_steps"), "resumed after the first iteration");
        assertEquals(budget.get("iterations"), again.get("iterations"));
        assertEquals(budget.get("kept_iteration"), again.get("kept_iteration"));
        assertTrue(!again.containsKey("counted_from_iteration"), again.toString());
    }

    /**
     * An inner-step budget (trainers compared at equal cost) ends the run after the iteration that
     * reaches it, and a run resumed with the budget spent runs no further iteration.
     */
    @Test
    void anInnerStepBudgetEndsTheRunAtTheIterationThatReachesIt() {
        Run whole = run(iterations(), Optional.empty());
        long first = Math.round(whole.metrics.get(0).getOrDefault(MetaTrainingLoop.INNER_STEPS, 0.0));
        org.junit.jupiter.api.Assumptions.assumeTrue(first > 0 && iterations() > 1,
                "the trainer reports no inner steps, or runs one iteration");
        MetaTrainerProvider p = provider();
        Run cut = new Run();
        cut.result = MetaTrainingLoop.run(p.create(p.configure(parameters(iterations())), CreationContext.defaults()),
                request(Optional.empty()), cut, "checkpoint", first);
        assertEquals(1, cut.metrics.size(), "iterations run within a budget of one iteration's inner steps");
        assertEquals(Long.toString(first), cut.result.optimizer().provenance().budget().get("inner_steps"));
        Run after = new Run();
        after.result = MetaTrainingLoop.run(p.create(p.configure(parameters(iterations())), CreationContext.defaults()),
                request(Optional.of(cut.checkpoints.get(0))), after, "checkpoint", first);
        assertEquals(0, after.metrics.size(), "a resumed run whose budget is spent");
        assertSameWeights(cut.result.optimizer(), after.result.optimizer(), "the candidate kept");
        assertThrows(IllegalArgumentException.class, () -> MetaTrainingLoop.run(p.create(
                p.configure(parameters(1)), CreationContext.defaults()), request(Optional.empty()), new Run(), "c", 0));
    }

    @Test
    void oneCheckpointAndOneMetricsRecordPerIteration() {
        Run a = run(iterations(), Optional.empty());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < iterations(); i++) {
            expected.add(i);
        }
        assertEquals(expected, a.checkpointIterations);
        assertEquals(iterations(), a.metrics.size());
        assertEquals(iterations(), a.result.history().size());
        for (Map<String, Double> m : a.metrics) {
            assertTrue(m.containsKey("seconds") && m.containsKey("best_iteration"), m.toString());
        }
    }

    @Test
    void resumingAfterAnyIterationEqualsAnUninterruptedRun() {
        Run full = run(iterations(), Optional.empty());
        for (int k = 0; k < iterations(); k++) {
            Run resumed = run(iterations(), Optional.of(full.checkpoints.get(k)));
            assertSameWeights(full.result.optimizer(), resumed.result.optimizer(), "resumed after iteration " + (k + 1));
            assertEquals(iterations() - k - 1, resumed.metrics.size(), "iterations run after resuming");
        }
    }

    @Test
    void aTruncatedCheckpointFailsWithADataFormatError() {
        Run one = run(1, Optional.empty());
        byte[] full = one.checkpoints.get(0);
        for (int cut : new int[] {0, 7, full.length / 2, full.length - 1}) {
            byte[] truncated = Arrays.copyOf(full, cut);
            assertThrows(DataFormatException.class, () -> run(2, Optional.of(truncated)), "cut at " + cut);
        }
    }

    @Test
    void theCandidateRoundTripsAndRunsThroughItsPolicyClass() {
        Run a = run(iterations(), Optional.empty());
        LearnedOptimizer lo = a.result.optimizer();
        CheckpointWriter out = new CheckpointWriter();
        MetaTrainingLoop.writeLearned(out, lo);
        CheckpointReader in = new CheckpointReader(out.bytes(), "round trip");
        LearnedOptimizer back = MetaTrainingLoop.readLearned(in);
        in.end();
        assertNotNull(back);
        assertEquals(lo.policyClass(), back.policyClass());
        assertEquals(lo.policyParameters(), back.policyParameters());
        assertEquals(lo.featureMap(), back.featureMap());
        assertEquals(lo.provenance(), back.provenance());
        assertSameWeights(lo, back, "after the round trip");
        MetaTrainingRequest request = request(Optional.empty());
        Objective f = request.family().test(request.seed(), 0);
        Rollout.Result r = Rollout.run(f, rule(back, request), f.initialPoint(Seeds.generator(1)), request.steps(),
                Seeds.generator(2));
        assertTrue(!r.stoppedEarly(request.steps()), "the learned optimizer diverged on a held-out objective");
    }

    @Test
    void metaTrainingLowersTheHeldOutCostBelowTheUntrainedPolicy() {
        MetaTrainingRequest request = request(Optional.empty());
        Run a = run(improvementIterations(), Optional.empty());
        double trained = heldOutCost(rule(a.result.optimizer(), request), request);
        double before = heldOutCost(untrained(request), request);
        assertTrue(Double.isFinite(trained) && trained < before, "held-out cost " + before + " -> " + trained);
    }
}
