package org.l2o.runtime.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.api.trajectory.TrajectorySink;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs several optimizers on the same objectives: seed {@code s} means objective {@code s} of the
 * family's test (or train) stream, its start, and its minibatch stream, all derived from the root
 * seed, so every optimizer meets exactly the same problems. Deterministic, whatever the executor.
 */
public final class Runs {

    /** Which seed stream of the family to draw objectives from. */
    public enum Split { TRAIN, TEST }

    private Runs() {
    }

    /** The objective behind seed {@code s}. */
    public static Objective objective(ObjectiveFamily family, Split split, long rootSeed, int s) {
        return split == Split.TRAIN ? family.train(rootSeed, s) : family.test(rootSeed, s);
    }

    /**
     * Runs every rule on seeds {@code 0..seeds-1} for {@code steps} steps, the runs spread over
     * {@code executor}. Results, listener calls and trajectory records come in the same order
     * (seed-major, then rule) whatever the number of threads; only the records' wall times differ.
     *
     * @param names names of the rules in outputs (their SPECs as given), parallel to {@code rules}
     * @param x0    fixed start for every run, or empty to draw one per seed
     * @param sink  receives every step of every run; may be {@code null}
     */
    public static List<RunResult> run(ObjectiveFamily family, Split split, long rootSeed, List<String> names,
                                      List<UpdateRule> rules, int seeds, int steps, Optional<INDArray> x0,
                                      TrajectorySink sink, RunListener listener, RolloutExecutor executor) {
        return run(family, Optional.empty(), split, rootSeed, names, rules, seeds, steps, x0, sink, listener, executor,
                null);
    }

    /**
     * As above; with a {@code source} (where family and rules come from, rules in the order of
     * {@code names}) every run is an {@link EvaluationRun} that a cluster executor may send to a worker.
     */
    public static List<RunResult> run(ObjectiveFamily family, Optional<EvaluationRun.Source> source, Split split,
                                      long rootSeed, List<String> names, List<UpdateRule> rules, int seeds, int steps,
                                      Optional<INDArray> x0, TrajectorySink sink, RunListener listener,
                                      RolloutExecutor executor) {
        return run(family, source, split, rootSeed, names, rules, seeds, steps, x0, sink, listener, executor, null);
    }

    /**
     * As above; a {@code checkpoint} (may be null) supplies the runs an earlier command finished,
     * which are not run again, and keeps every run as it is handed on.
     */
    public static List<RunResult> run(ObjectiveFamily family, Optional<EvaluationRun.Source> source, Split split,
                                      long rootSeed, List<String> names, List<UpdateRule> rules, int seeds, int steps,
                                      Optional<INDArray> x0, TrajectorySink sink, RunListener listener,
                                      RolloutExecutor executor, RunCheckpoint checkpoint) {
        int total = rules.size() * seeds;
        boolean records = sink != null;
        double[] fixed = x0.map(INDArray::toDoubleVector).orElse(null);
        // a learned optimizer's file travels with each of its runs: read it once per rule
        List<byte[]> learned = source.map(src -> src.optimizers().stream().map(EvaluationRun::learnedFile).toList())
                .orElse(null);
        List<Callable<Finished>> tasks = new ArrayList<>(total);
        for (int s = 0; s < seeds; s++) {
            final int seed = s;
            Objective objective = objective(family, split, rootSeed, s);
            INDArray start = start(objective, split, rootSeed, s, x0);
            for (int k = 0; k < rules.size(); k++) {
                final int index = k;
                String name = names.get(k);
                UpdateRule rule = rules.get(k);
                Callable<Finished> local = () -> execute(family, objective, start, split, rootSeed, seed, name, rule,
                        steps, records);
                tasks.add(source.<Callable<Finished>>map(src -> new EvaluationRun(src, name, learned.get(index), split,
                        rootSeed, seed, index, steps, fixed, records, local)).orElse(local));
            }
        }
        List<RunResult> out = new ArrayList<>(total);
        Consumer<Finished> handOn = f -> {
            if (sink != null) {
                f.records().forEach(sink::accept);
            }
            out.add(f.result());
            listener.finished(f.result(), out.size(), total);
        };
        List<Finished> done = checkpoint == null ? List.of() : checkpoint.done();
        if (done.size() > tasks.size()) {
            throw new IllegalStateException("the checkpoint holds " + done.size() + " runs, the command has "
                    + tasks.size());
        }
        done.forEach(handOn);
        executor.invokeAll(tasks.subList(done.size(), tasks.size()), f -> {
            if (checkpoint != null) {
                checkpoint.append(f);
            }
            handOn.accept(f);
        });
        return out;
    }

    /** Seed {@code seed}'s start: {@code x0}, or drawn from the objective. */
    static INDArray start(Objective objective, Split split, long rootSeed, int seed, Optional<INDArray> x0) {
        return x0.orElseGet(() -> objective.initialPoint(Seeds.generator(rootSeed, "start-" + split, seed)));
    }

    /**
     * One run: seed {@code seed}'s objective of the split from {@code start} with its minibatch
     * stream, {@code rule} for {@code steps} steps, named {@code name}. The same wherever it runs.
     */
    static Finished execute(ObjectiveFamily family, Objective objective, INDArray start, Split split, long rootSeed,
                            int seed, String name, UpdateRule rule, int steps, boolean withRecords) {
        String runId = name + "#" + seed;
        long began = System.nanoTime();
        List<TrajectoryRecord> records = new ArrayList<>(withRecords ? steps + 1 : 0);
        Rollout.Listener record = !withRecords ? (t, x, v, o, g, d, e) -> { }
                : (t, x, v, o, g, d, e) -> records.add(new TrajectoryRecord(runId, name, family.id(), seed,
                        t, v, o, g, d, e, System.nanoTime() - began));
        Rollout.Result r = Rollout.run(objective, rule, start, steps,
                Seeds.generator(rootSeed, "minibatch-" + split, seed), record);
        return new Finished(new RunResult(runId, name, family.id(), seed, r.values(), r.evaluations(), steps), records);
    }

    /** One run's result and its trajectory, handed to the sink in task order. */
    record Finished(RunResult result, List<TrajectoryRecord> records) {
    }
}
