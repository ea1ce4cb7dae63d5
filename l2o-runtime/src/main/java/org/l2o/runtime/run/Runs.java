package org.l2o.runtime.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.api.trajectory.TrajectorySink;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs several optimizers on the same objectives: seed {@code s} means objective {@code s} of the
 * family's test (or train) stream, its start, and its minibatch stream, all derived from the root
 * seed, so every optimizer meets exactly the same problems. Runs are sequential and deterministic.
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
     * Runs every rule on seeds {@code 0..seeds-1} for {@code steps} steps.
     *
     * @param names names of the rules in outputs (their SPECs as given), parallel to {@code rules}
     * @param x0    fixed start for every run, or empty to draw one per seed
     * @param sink  receives every step of every run; may be {@code null}
     */
    public static List<RunResult> run(ObjectiveFamily family, Split split, long rootSeed, List<String> names,
                                      List<UpdateRule> rules, int seeds, int steps, Optional<INDArray> x0,
                                      TrajectorySink sink, RunListener listener) {
        List<RunResult> out = new ArrayList<>();
        int total = rules.size() * seeds;
        for (int s = 0; s < seeds; s++) {
            Objective objective = objective(family, split, rootSeed, s);
            final int index = s;
            INDArray start = x0.orElseGet(
                    () -> objective.initialPoint(Seeds.generator(rootSeed, "start-" + split, index)));
            for (int k = 0; k < rules.size(); k++) {
                String name = names.get(k);
                String runId = name + "#" + s;
                long began = System.nanoTime();
                final int seed = s;
                Rollout.Listener record = sink == null ? (t, x, v, o, g, d, e) -> { }
                        : (t, x, v, o, g, d, e) -> sink.accept(new TrajectoryRecord(runId, name, family.id(), seed, t,
                                v, o, g, d, e, System.nanoTime() - began));
                Rollout.Result r = Rollout.run(objective, rules.get(k), start, steps,
                        Seeds.generator(rootSeed, "minibatch-" + split, s), record);
                RunResult result = new RunResult(runId, name, family.id(), s, r.values(), r.evaluations(), steps);
                out.add(result);
                listener.finished(result, out.size(), total);
            }
        }
        return out;
    }
}
