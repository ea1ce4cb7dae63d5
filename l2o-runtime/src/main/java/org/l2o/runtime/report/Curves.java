package org.l2o.runtime.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.l2o.runtime.run.RunResult;

/**
 * Per-optimizer curves over seeds: at each step the mean, minimum and maximum of the true values
 * of the runs still finite there, and how many runs diverged.
 */
public record Curves(String optimizer, double[] mean, double[] min, double[] max, int runs, int diverged) {

    /** Curves of each optimizer, in order of first appearance. */
    public static List<Curves> of(List<RunResult> runs) {
        Map<String, List<RunResult>> by = RunResult.byOptimizer(runs);
        List<Curves> out = new ArrayList<>();
        for (var e : by.entrySet()) {
            List<RunResult> rs = e.getValue();
            int steps = rs.get(0).steps();
            double[] mean = new double[steps + 1];
            double[] min = new double[steps + 1];
            double[] max = new double[steps + 1];
            for (int t = 0; t <= steps; t++) {
                double sum = 0;
                int n = 0;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (RunResult r : rs) {
                    double v = r.valueAt(t);
                    if (Double.isFinite(v)) {
                        sum += v;
                        n++;
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
                mean[t] = n == 0 ? Double.NaN : sum / n;
                min[t] = n == 0 ? Double.NaN : lo;
                max[t] = n == 0 ? Double.NaN : hi;
            }
            int diverged = (int) rs.stream().filter(RunResult::diverged).count();
            out.add(new Curves(e.getKey(), mean, min, max, rs.size(), diverged));
        }
        return out;
    }
}
