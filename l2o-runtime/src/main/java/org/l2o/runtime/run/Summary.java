package org.l2o.runtime.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-optimizer statistics over seeds, one row of {@code summary.csv}.
 *
 * @param meanFinalValue  mean true value at the horizon over all runs (NaN or infinite when a run
 *                        became non-finite: diverged runs are not hidden)
 * @param stdFinalValue   population standard deviation of the final values
 * @param meanAuc         mean over runs of the sum of true values over steps 1..T
 * @param divergedRuns    runs whose final value is non-finite or above their start
 * @param meanEvaluations mean objective evaluations per run (steps for first-order methods, more
 *                        for line-search methods)
 */
public record Summary(String optimizer, String objective, int seeds, int steps, double meanFinalValue,
                      double stdFinalValue, double meanAuc, int divergedRuns, double meanEvaluations) {

    /** Column names of {@code summary.csv}, in order. */
    public static final List<String> COLUMNS = List.of("optimizer", "objective", "seeds", "steps", "mean_final_value",
            "std_final_value", "mean_auc", "diverged_runs", "mean_evaluations");

    /** One summary per optimizer, in the order the optimizers first appear. */
    public static List<Summary> of(List<RunResult> runs) {
        Map<String, List<RunResult>> by = RunResult.byOptimizer(runs);
        List<Summary> out = new ArrayList<>();
        for (var e : by.entrySet()) {
            List<RunResult> rs = e.getValue();
            int n = rs.size();
            double mean = rs.stream().mapToDouble(RunResult::finalValue).sum() / n;
            double var = rs.stream().mapToDouble(r -> (r.finalValue() - mean) * (r.finalValue() - mean)).sum() / n;
            double auc = rs.stream().mapToDouble(RunResult::auc).sum() / n;
            int diverged = (int) rs.stream().filter(RunResult::diverged).count();
            double evals = rs.stream().mapToLong(RunResult::evaluations).sum() / (double) n;
            out.add(new Summary(e.getKey(), rs.get(0).objective(), n, rs.get(0).steps(), mean, Math.sqrt(var), auc,
                    diverged, evals));
        }
        return out;
    }

    /** The row's cells as text, parallel to {@link #COLUMNS}. */
    public List<String> cells() {
        return List.of(optimizer, objective, Integer.toString(seeds), Integer.toString(steps), num(meanFinalValue),
                num(stdFinalValue), num(meanAuc), Integer.toString(divergedRuns), num(meanEvaluations));
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.10g", v) : Double.toString(v);
    }
}
