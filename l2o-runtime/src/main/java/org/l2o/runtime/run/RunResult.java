package org.l2o.runtime.run;

/**
 * One optimizer run on one objective.
 *
 * @param runId       unique within its output, {@code SPEC#seed}
 * @param optimizer   the optimizer SPEC as given
 * @param objective   objective family id
 * @param seed        index of the objective and start within the experiment
 * @param values      true objective at steps 0..T (shorter when the run stopped on a non-finite value)
 * @param evaluations objective evaluations the optimizer made
 * @param steps       the horizon T the run was asked for
 */
public record RunResult(String runId, String optimizer, String objective, int seed, double[] values, long evaluations,
                        int steps) {

    /** Relative tolerance for calling a run diverged: starting near the optimum must not trip it. */
    public static final double DIVERGENCE_TOLERANCE = 1e-9;

    /** True value at the horizon; NaN when the run stopped early. */
    public double finalValue() {
        return values.length == steps + 1 ? values[steps] : Double.NaN;
    }

    /** Sum of true values over steps 1..T, the meta-loss of Li & Malik 2017, the meta-loss; NaN when the run stopped early. */
    public double auc() {
        if (values.length != steps + 1) {
            return Double.NaN;
        }
        double s = 0;
        for (int t = 1; t <= steps; t++) {
            s += values[t];
        }
        return s;
    }

    /** Whether the final value is non-finite or above the starting value (beyond a relative tolerance). */
    public boolean diverged() {
        double f = finalValue();
        double start = values[0];
        return !Double.isFinite(f) || f > start + DIVERGENCE_TOLERANCE * Math.max(1, Math.abs(start));
    }

    /** Runs grouped by optimizer, in order of first appearance. */
    public static java.util.Map<String, java.util.List<RunResult>> byOptimizer(java.util.List<RunResult> runs) {
        java.util.Map<String, java.util.List<RunResult>> by = new java.util.LinkedHashMap<>();
        for (RunResult r : runs) {
            by.computeIfAbsent(r.optimizer(), k -> new java.util.ArrayList<>()).add(r);
        }
        return by;
    }

    /** Runs grouped by optimizer, then keyed by seed. */
    public static java.util.Map<String, java.util.Map<Integer, RunResult>> byOptimizerAndSeed(
            java.util.List<RunResult> runs) {
        java.util.Map<String, java.util.Map<Integer, RunResult>> by = new java.util.LinkedHashMap<>();
        for (RunResult r : runs) {
            by.computeIfAbsent(r.optimizer(), k -> new java.util.LinkedHashMap<>()).put(r.seed(), r);
        }
        return by;
    }

    /** Value at step t, NaN past the end of a run that stopped early. */
    public double valueAt(int t) {
        return t < values.length ? values[t] : Double.NaN;
    }

    /**
     * Runs rebuilt from their trajectory records (as an Arrow trajectories file holds them), in the
     * order their first records appear; {@code steps} is the horizon they were run for.
     */
    public static java.util.List<RunResult> fromRecords(java.util.List<org.l2o.api.trajectory.TrajectoryRecord> records,
                                                        int steps) {
        java.util.Map<String, java.util.List<org.l2o.api.trajectory.TrajectoryRecord>> byRun =
                new java.util.LinkedHashMap<>();
        for (var r : records) {
            byRun.computeIfAbsent(r.runId(), k -> new java.util.ArrayList<>()).add(r);
        }
        java.util.List<RunResult> runs = new java.util.ArrayList<>();
        for (var rs : byRun.values()) {
            double[] v = rs.stream().mapToDouble(org.l2o.api.trajectory.TrajectoryRecord::value).toArray();
            var last = rs.get(rs.size() - 1);
            runs.add(new RunResult(last.runId(), last.optimizer(), last.objective(), (int) last.seed(), v,
                    last.evaluations(), steps));
        }
        return runs;
    }
}
