package org.l2o.runtime.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.l2o.runtime.run.RunResult;

class MarginOfVictoryTest {

    static RunResult run(String name, int seed, double... values) {
        return new RunResult(name + "#" + seed, name, "f", seed, values, values.length, 2);
    }

    @Test
    void marginIsBestOtherMinusThisAveragedOverObjectives() {
        var m = MarginOfVictory.of(List.of(
                run("a", 0, 1, 0.5, 0.2), run("b", 0, 1, 0.6, 0.1),
                run("a", 1, 2, 1.0, 0.5), run("b", 1, 2, 1.5, 1.0)));
        // a: objective 0 -> (0, 0.1, -0.1); objective 1 -> (0, 0.5, 0.5)
        assertArrayEquals(new double[] {0, 0.3, 0.2}, m.get("a"), 1e-12);
        assertArrayEquals(new double[] {0, -0.3, -0.2}, m.get("b"), 1e-12);
    }

    @Test
    void divergedAndExplodingRunsCountAsBackAtTheirStart() {
        var m = MarginOfVictory.of(List.of(
                run("a", 0, 1, 1e300, Double.NaN), run("b", 0, 1, 0.5, 0.25)));
        assertArrayEquals(new double[] {0, -0.5, -0.75}, m.get("a"), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 0.75}, m.get("b"), 1e-12);
    }
}
