package org.l2o.runtime.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.runtime.run.RunResult;

/**
 * Per-optimizer curves over seeds: at each step (or count of objective evaluations) the mean,
 * minimum and maximum of the true values of the runs still finite there, and how many runs
 * diverged.
 */
public record Curves(String optimizer, double[] mean, double[] min, double[] max, int runs, int diverged) {

    /** Curves of each optimizer against steps, in order of first appearance. */
    public static List<Curves> of(List<RunResult> runs) {
        List<Curves> out = new ArrayList<>();
        for (var e : RunResult.byOptimizer(runs).entrySet()) {
            List<RunResult> rs = e.getValue();
            int steps = rs.get(0).steps();
            List<double[]> series = new ArrayList<>();
            for (RunResult r : rs) {
                double[] v = new double[steps + 1];
                for (int t = 0; t <= steps; t++) {
                    v[t] = r.valueAt(t);
                }
                series.add(v);
            }
            out.add(summarise(e.getKey(), series, steps + 1, rs));
        }
        return out;
    }

    /**
     * Curves of each optimizer against objective evaluations {@code 0..evaluations} instead of steps,
     * from the runs' trajectory records (in step order per run): a run's value at {@code e}
     * evaluations is its true value after the last step that had used at most {@code e} (NaN before
     * its first), so a method that evaluates several times per step (a line search) is compared at
     * equal cost. {@code runs} give the optimizers' order and diverged counts.
     */
    public static List<Curves> byEvaluations(List<TrajectoryRecord> records, List<RunResult> runs, int evaluations) {
        Map<String, double[]> byRun = new LinkedHashMap<>();
        for (TrajectoryRecord r : records) {
            double[] v = byRun.computeIfAbsent(r.runId(), k -> {
                double[] a = new double[evaluations + 1];
                Arrays.fill(a, Double.NaN);
                return a;
            });
            // records come in step order: each holds from its own evaluation count on
            for (long e = Math.max(0, r.evaluations()); e <= evaluations; e++) {
                v[(int) e] = r.value();
            }
        }
        List<Curves> out = new ArrayList<>();
        for (var e : RunResult.byOptimizer(runs).entrySet()) {
            List<double[]> series = e.getValue().stream().map(r -> byRun.get(r.runId()))
                    .filter(v -> v != null).toList();
            out.add(summarise(e.getKey(), series, evaluations + 1, e.getValue()));
        }
        return out;
    }

    private static Curves summarise(String optimizer, List<double[]> series, int length, List<RunResult> runs) {
        double[] mean = new double[length];
        double[] min = new double[length];
        double[] max = new double[length];
        for (int t = 0; t < length; t++) {
            double sum = 0;
            int n = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] v : series) {
                if (Double.isFinite(v[t])) {
                    sum += v[t];
                    n++;
                    lo = Math.min(lo, v[t]);
                    hi = Math.max(hi, v[t]);
                }
            }
            mean[t] = n == 0 ? Double.NaN : sum / n;
            min[t] = n == 0 ? Double.NaN : lo;
            max[t] = n == 0 ? Double.NaN : hi;
        }
        int diverged = (int) runs.stream().filter(RunResult::diverged).count();
        return new Curves(optimizer, mean, min, max, series.size(), diverged);
    }
}
