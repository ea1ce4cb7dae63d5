package org.l2o.runtime.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.l2o.runtime.run.RunResult;

/**
 * Mean true objective of each optimizer at chosen steps, and the share of objectives on which it
 * is strictly below a reference optimizer at each of those steps (the table of an earlier GPS experiment on this problem class).
 * Values are capped at the run's starting value (a run that stopped early counts from there on at
 * its start), as in {@link MarginOfVictory}; diverged runs are counted in their own column.
 */
public final class StepTable {

    private StepTable() {
    }

    /** Header and rows: optimizer, mean at each step, share better than the reference at each step, diverged. */
    public static List<List<String>> rows(List<RunResult> runs, int[] steps, String reference) {
        Map<String, Map<Integer, RunResult>> by = RunResult.byOptimizerAndSeed(runs);
        List<List<String>> out = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("optimizer"));
        for (int s : steps) {
            header.add("mean@" + s);
        }
        if (reference != null) {
            for (int s : steps) {
                header.add("better_than_ref@" + s);
            }
        }
        header.add("diverged_runs");
        out.add(header);
        Map<Integer, RunResult> ref = reference == null ? null : by.get(reference);
        for (var e : by.entrySet()) {
            List<String> row = new ArrayList<>(List.of(e.getKey()));
            for (int s : steps) {
                double sum = 0;
                for (RunResult r : e.getValue().values()) {
                    sum += MarginOfVictory.value(r, s);
                }
                row.add(String.format("%.5f", sum / e.getValue().size()));
            }
            if (ref != null) {
                for (int s : steps) {
                    int better = 0;
                    for (var r : e.getValue().entrySet()) {
                        if (MarginOfVictory.value(r.getValue(), s) < MarginOfVictory.value(ref.get(r.getKey()), s)) {
                            better++;
                        }
                    }
                    row.add(String.format("%.0f%%", 100.0 * better / e.getValue().size()));
                }
            }
            row.add(Long.toString(e.getValue().values().stream().filter(RunResult::diverged).count()));
            out.add(row);
        }
        return out;
    }
}
