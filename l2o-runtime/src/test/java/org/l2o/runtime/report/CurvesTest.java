package org.l2o.runtime.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.runtime.run.RunResult;

/** Curves against objective evaluations charge each optimizer for every evaluation it made. */
class CurvesTest {

    /** A run whose step t has the given true value after {@code perStep * t + 1} evaluations in all. */
    private static List<TrajectoryRecord> run(String optimizer, int seed, int perStep, double... values) {
        List<TrajectoryRecord> out = new ArrayList<>();
        for (int t = 0; t < values.length; t++) {
            out.add(new TrajectoryRecord(optimizer + "#" + seed, optimizer, "f", seed, t, values[t], values[t], 0, 0,
                    1 + (long) perStep * t, 0));
        }
        return out;
    }

    @Test
    void aLineSearchIsComparedAtEqualEvaluations() {
        List<TrajectoryRecord> records = new ArrayList<>();
        records.addAll(run("gd", 0, 1, 8, 4, 2, 1));
        records.addAll(run("gd", 1, 1, 8, 6, 4, 2));
        records.addAll(run("cg", 0, 3, 8, 1, 0.5, 0.25)); // three evaluations per step
        List<RunResult> runs = RunResult.fromRecords(records, 3);
        List<Curves> c = Curves.byEvaluations(records, runs, 5);
        assertEquals(List.of("gd", "cg"), c.stream().map(Curves::optimizer).toList());
        double nan = Double.NaN;
        // gd: steps at 1, 2, 3, 4 evaluations (mean of its two runs), held after its last
        assertArrayEquals(new double[] {nan, 8, 5, 3, 1.5, 1.5}, c.get(0).mean(), 1e-12);
        assertArrayEquals(new double[] {nan, 8, 4, 2, 1, 1}, c.get(0).min(), 1e-12);
        // cg: its first step only counts once 4 evaluations are spent
        assertArrayEquals(new double[] {nan, 8, 8, 8, 1, 1}, c.get(1).mean(), 1e-12);
        assertEquals(2, c.get(0).runs());
        // against steps, cg looks far ahead: the view the paper reports
        assertEquals(0.25, Curves.of(runs).get(1).mean()[3], 0.0);
    }
}
