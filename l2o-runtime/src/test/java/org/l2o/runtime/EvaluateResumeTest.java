package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.PluginProvider;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.api.update.Observation;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.UpdateRule;
import org.l2o.api.update.UpdateRuleProvider;
import org.l2o.runtime.io.ArrowTrajectories;
import org.l2o.runtime.run.RunCheckpoint;

/** An evaluation or tuning that died continues with --resume and gives what an uninterrupted one gives. */
class EvaluateResumeTest {

    /** Gradient descent that, while {@link #failAt} is positive, fails when its run number failAt starts. */
    static final class Flaky implements UpdateRuleProvider {
        static final AtomicInteger STARTED = new AtomicInteger();
        static volatile int failAt;

        public String id() {
            return "flaky-gd";
        }

        public String description() {
            return "gradient descent that can be told to fail";
        }

        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.real("lr", 0.1, "step size").positive());
        }

        public UpdateRule create(Config config, CreationContext context) {
            double lr = config.getDouble("lr");
            return new UpdateRule() {
                public String spec() {
                    return "flaky-gd:lr=" + lr;
                }

                public RuleState init(ParameterLayout layout) {
                    if (failAt > 0 && STARTED.incrementAndGet() == failAt) {
                        throw new IllegalStateException("told to fail");
                    }
                    return new RuleState() { };
                }

                public Step step(Observation o, RuleState s) {
                    return new Step(o.gradient().mul(-lr), s);
                }
            };
        }
    }

    private static final PluginRegistry PLUGINS;

    static {
        List<PluginProvider> all = new ArrayList<>(PluginRegistry.discover().all());
        all.add(new Flaky());
        PLUGINS = PluginRegistry.of(all);
    }

    @TempDir
    Path dir;

    private record Run(int code, String err) {
    }

    private static Run l2o(List<String> args, String... extra) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(extra));
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), Map.of(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), PLUGINS);
        return new Run(code, err.toString());
    }

    /** Runs {@code command} with the flaky rule told to fail when its run number {@code failAt} starts. */
    private static Run failingAt(int failAt, Supplier<Run> command) {
        Flaky.STARTED.set(0);
        Flaky.failAt = failAt;
        try {
            return command.get();
        } finally {
            Flaky.failAt = 0;
        }
    }

    private static Run evaluate(Path out, String... extra) {
        return l2o(List.of("evaluate", "--objective", "logistic-regression", "--optimizer", "adam:lr=0.05",
                "--optimizer", "flaky-gd:lr=0.5", "--steps", "15", "--seeds", "3", "--threads", "1", "--quiet", "--out",
                out.toString()), extra);
    }

    @Test
    void aResumedEvaluationEqualsAnUninterruptedOne() throws Exception {
        Path whole = dir.resolve("whole");
        assertEquals(0, evaluate(whole).code());
        Path out = dir.resolve("out");
        // Plans.checkRules starts each rule once before any run: the flaky rule's run 3 is its second run
        Run died = failingAt(3, () -> evaluate(out));
        assertEquals(1, died.code(), died.err());
        assertFalse(Files.exists(out.resolve("summary.csv")), "a failed evaluation must not commit its outputs");
        assertTrue(Files.exists(RunCheckpoint.fileFor(out)), "the finished runs should be kept");

        Run resumed = evaluate(out, "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("--resume: 3 run(s) read back"), resumed.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("summary.csv")), Files.readAllBytes(out.resolve("summary.csv")));
        List<TrajectoryRecord> a = ArrowTrajectories.read(whole.resolve("trajectories.arrow"));
        List<TrajectoryRecord> b = ArrowTrajectories.read(out.resolve("trajectories.arrow"));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).runId() + "@" + a.get(i).step() + "=" + a.get(i).value(),
                    b.get(i).runId() + "@" + b.get(i).step() + "=" + b.get(i).value());
        }
        assertFalse(Files.exists(RunCheckpoint.fileFor(out)), "a finished command should delete its checkpoint");
    }

    private static Run tune(Path out, String... extra) {
        return l2o(List.of("tune", "--objective", "logistic-regression", "--optimizer", "flaky-gd", "--grid",
                "lr=0.1,0.5", "--steps", "15", "--seeds", "3", "--threads", "1", "--quiet", "--out", out.toString()),
                extra);
    }

    @Test
    void aResumedTuningEqualsAnUninterruptedOne() throws Exception {
        Path whole = dir.resolve("whole");
        assertEquals(0, tune(whole).code());
        Path out = dir.resolve("out");
        // checkRules starts both grid points once; runs go seed by seed: the 5th start is seed 1's first point
        Run died = failingAt(5, () -> tune(out));
        assertEquals(1, died.code(), died.err());
        Run resumed = tune(out, "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("--resume: 2 run(s) read back"), resumed.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("grid.csv")), Files.readAllBytes(out.resolve("grid.csv")));
        assertArrayEquals(Files.readAllBytes(whole.resolve("tuned.json")), Files.readAllBytes(out.resolve("tuned.json")));
        assertFalse(Files.exists(RunCheckpoint.fileFor(out)));
    }

    @Test
    void twoCommandsCannotWriteOneCheckpoint() {
        Path out = dir.resolve("out");
        try (RunCheckpoint first = RunCheckpoint.open(out, "a", false, line -> { })) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(org.l2o.api.ConfigurationException.class,
                    () -> RunCheckpoint.open(out, "a", false, line -> { }));
            assertTrue(e.getMessage().contains("another l2o command is writing into it"), e.getMessage());
            assertEquals(0, first.resumed());
        }
        // released with the first: a later command opens it
        RunCheckpoint.open(out, "a", true, line -> { }).delete();
    }

    @Test
    void anotherCommandDoesNotResumeFromTheCheckpoint() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(1, failingAt(3, () -> evaluate(out)).code());
        Run other = evaluate(out, "--resume", "--seed", "5");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("was written by another command"), other.err());
        // a truncated last record (a kill mid-write) is dropped, the rest resumes
        Path file = RunCheckpoint.fileFor(out);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 7));
        Run resumed = evaluate(out, "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("--resume: 2 run(s) read back"), resumed.err());
    }
}
