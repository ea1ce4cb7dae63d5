package org.l2o.runtime.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;

/**
 * Grid search of an optimizer's hyperparameters on the training stream of a family, minimising
 * the mean over objectives of the summed objective (auc) or of the final value. A grid point that
 * diverges on any training objective scores +infinity and is never chosen.
 */
public final class Tuning {

    private Tuning() {
    }

    /** One tried setting. */
    public record Point(OptimizerSpec spec, Summary summary, double score) {
    }

    /** All points, in grid order, and the index of the best (-1 when every point diverged). */
    public record Result(List<Point> points, int best) {
        public Optional<Point> winner() {
            return best < 0 ? Optional.empty() : Optional.of(points.get(best));
        }
    }

    /** All combinations of {@code KEY=V1,V2,...} entries, first key varying slowest. */
    public static List<Map<String, String>> combinations(List<String> grid) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String g : grid) {
            int eq = g.indexOf('=');
            if (eq <= 0 || eq == g.length() - 1) {
                throw new ConfigurationException("--grid " + g + ": expected KEY=V1,V2,...");
            }
            String key = g.substring(0, eq).strip();
            if (!keys.add(key)) {
                throw new ConfigurationException("--grid: parameter '" + key + "' given twice");
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> base : out) {
                for (String v : g.substring(eq + 1).split(",")) {
                    if (v.isBlank()) {
                        throw new ConfigurationException("--grid " + g + ": empty value");
                    }
                    Map<String, String> m = new LinkedHashMap<>(base);
                    m.put(key, v.strip());
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** The specs of a grid around a base SPEC. */
    public static List<OptimizerSpec> specs(OptimizerSpec base, List<String> grid) {
        return combinations(grid).stream().map(base::with).toList();
    }

    /**
     * Runs every spec on the training objectives {@code 0..seeds-1} and scores it; the runs are spread
     * over {@code rollouts}, with the same result for any number of threads.
     */
    public static Result run(PluginRegistry registry, CreationContext context, ObjectiveFamily family,
                             List<OptimizerSpec> specs, int seeds, int steps, long seed, boolean finalValue,
                             RunListener listener, RolloutExecutor rollouts) {
        return run(registry, context, family, Optional.empty(), specs, seeds, steps, seed, finalValue, listener,
                rollouts);
    }

    /**
     * As above; with the family's {@code source} (its optimizers are ignored: the grid's SPECs are
     * used) every run is an {@link EvaluationRun} that a cluster executor may send to a worker.
     */
    public static Result run(PluginRegistry registry, CreationContext context, ObjectiveFamily family,
                             Optional<EvaluationRun.Source> source, List<OptimizerSpec> specs, int seeds, int steps,
                             long seed, boolean finalValue, RunListener listener, RolloutExecutor rollouts) {
        return run(registry, context, family, source, specs, seeds, steps, seed, finalValue, listener, rollouts, null);
    }

    /** As above; a {@code checkpoint} (may be null) supplies finished runs and keeps new ones (see {@link Runs}). */
    public static Result run(PluginRegistry registry, CreationContext context, ObjectiveFamily family,
                             Optional<EvaluationRun.Source> source, List<OptimizerSpec> specs, int seeds, int steps,
                             long seed, boolean finalValue, RunListener listener, RolloutExecutor rollouts,
                             RunCheckpoint checkpoint) {
        List<UpdateRule> rules = new ArrayList<>();
        for (OptimizerSpec s : specs) {
            rules.add(s.create(registry, context));
        }
        List<String> names = specs.stream().map(OptimizerSpec::text).toList();
        List<RunResult> runs = Runs.run(family, source.map(src -> src.withOptimizers(names)), Runs.Split.TRAIN, seed,
                names, rules, seeds, steps, Optional.empty(), null, listener, rollouts, checkpoint);
        List<Summary> summary = Summary.of(runs);
        List<Point> points = new ArrayList<>();
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int i = 0; i < summary.size(); i++) {
            Summary s = summary.get(i);
            double score = s.divergedRuns() > 0 ? Double.POSITIVE_INFINITY
                    : finalValue ? s.meanFinalValue() : s.meanAuc();
            if (!Double.isFinite(score)) {
                score = Double.POSITIVE_INFINITY;
            }
            points.add(new Point(specs.get(i), s, score));
            if (score < bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return new Result(points, best);
    }
}
