package org.l2o.runtime.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l2o.runtime.run.RunResult;

/**
 * The margin of victory of Li and Malik 2016 (Li & Malik 2016, the results): per optimizer, test objective and
 * iteration, the objective value of the best other optimizer minus this optimizer's value (positive
 * iff it beats all others), averaged over the test objectives. Values are capped at the run's
 * starting value, and a run that stopped on a non-finite value counts from there on as back at its
 * start: a diverging run is penalised as making no progress, rather than dropped or allowed to
 * swamp the mean with astronomically large values.
 */
public final class MarginOfVictory {

    private MarginOfVictory() {
    }

    /** Mean margin per optimizer (in order of first appearance) and step. */
    public static Map<String, double[]> of(List<RunResult> runs) {
        Map<String, Map<Integer, RunResult>> by = RunResult.byOptimizerAndSeed(runs);
        int steps = runs.stream().mapToInt(RunResult::steps).max().orElse(0);
        List<String> names = new ArrayList<>(by.keySet());
        List<Integer> seeds = new ArrayList<>(by.get(names.get(0)).keySet());
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String a : names) {
            double[] mean = new double[steps + 1];
            for (int t = 0; t <= steps; t++) {
                double sum = 0;
                for (int s : seeds) {
                    double mine = value(by.get(a).get(s), t);
                    double bestOther = Double.POSITIVE_INFINITY;
                    for (String b : names) {
                        if (!b.equals(a)) {
                            bestOther = Math.min(bestOther, value(by.get(b).get(s), t));
                        }
                    }
                    sum += bestOther - mine;
                }
                mean[t] = sum / seeds.size();
            }
            out.put(a, mean);
        }
        return out;
    }

    static double value(RunResult r, int t) {
        double v = r.valueAt(t);
        double start = r.values()[0];
        return Double.isFinite(v) ? Math.min(v, start) : start;
    }
}
