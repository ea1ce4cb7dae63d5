package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.runtime.io.ArrowTrajectories;

/** The outputs of evaluate and tune do not depend on how many threads ran the rollouts. */
class ThreadsTest {

    @TempDir
    Path tmp;

    /** A record without its wall time, the one field that differs from run to run. */
    private static List<String> rows(Path file) {
        return ArrowTrajectories.read(file).stream().map(r -> new TrajectoryRecord(r.runId(), r.optimizer(),
                r.objective(), r.seed(), r.step(), r.value(), r.observedValue(), r.gradNorm(), r.stepNorm(),
                r.evaluations(), 0).toString()).toList();
    }

    @Test
    void evaluateGivesTheSameSummaryAndTrajectoriesWithOneTwoAndFourThreads() throws IOException {
        String[] base = {"evaluate", "--objective", "mlp-classifier", "--param", "hidden=8", "--param",
            "eval-samples=300", "--optimizer", "adam:lr=0.01", "--optimizer", "lbfgs", "--optimizer", "sgd:lr=0.3",
            "--steps", "12", "--seeds", "4", "--quiet", "--threads"};
        List<String> summary = null;
        List<String> trajectories = null;
        for (String threads : List.of("1", "2", "4")) {
            Path out = tmp.resolve("t" + threads);
            String[] args = java.util.Arrays.copyOf(base, base.length + 3);
            args[base.length] = threads;
            args[base.length + 1] = "--out";
            args[base.length + 2] = out.toString();
            var r = Cli.run(args);
            assertEquals(0, r.code(), r.err());
            List<String> s = Files.readAllLines(out.resolve("summary.csv"));
            List<String> t = rows(out.resolve("trajectories.arrow"));
            if (summary == null) {
                summary = s;
                trajectories = t;
                assertEquals(3 * 4 * 13, t.size());
            } else {
                assertEquals(summary, s, threads + " threads: summary.csv");
                assertEquals(trajectories, t, threads + " threads: trajectories, row order included");
            }
        }
    }

    @Test
    void tuneChoosesTheSameWithAnyNumberOfThreads() throws IOException {
        List<String> chosen = new java.util.ArrayList<>();
        for (String threads : List.of("1", "3")) {
            Path out = tmp.resolve("tune" + threads);
            var r = Cli.run("tune", "--objective", "logistic-regression", "--optimizer", "momentum", "--grid",
                    "lr=0.5,1,2", "--grid", "momentum=0,0.5", "--steps", "20", "--seeds", "6", "--quiet", "--threads",
                    threads, "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            chosen.add(Files.readString(out.resolve("tuned.json")) + Files.readString(out.resolve("grid.csv")));
        }
        assertEquals(chosen.get(0), chosen.get(1));
        var bad = Cli.run("evaluate", "--objective", "quadratic", "--optimizer", "sgd", "--threads", "0", "--quiet",
                "--out", tmp.resolve("bad").toString());
        assertEquals(2, bad.code(), bad.err());
    }
}
