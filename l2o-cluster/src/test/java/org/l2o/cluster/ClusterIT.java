package org.l2o.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.runtime.Main;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.ArrowTrajectories;
import org.l2o.runtime.io.LearnedOptimizerFile;

/**
 * Workers in their own JVMs and this JVM as the driver, all on loopback: the cluster's results are
 * the local ones bit for bit, also when a worker dies mid-run, and a worker of another cluster name
 * is not used.
 */
class ClusterIT {

    private static final Pattern STARTED = Pattern.compile("l2o worker at ([0-9.]+):(\\d+)");
    private static final PluginRegistry PLUGINS = PluginRegistry.discover();
    private static Path local;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private final List<Process> workers = new ArrayList<>();

    private record Run(int code, String out, String err) {
    }

    private static Run l2o(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), PLUGINS);
        return new Run(code, out.toString(), err.toString());
    }

    /** Three optimizers (one learned, whose file travels) on 3 objectives of the embedded MNIST subset. */
    private static Run evaluate(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--objective", "mlp-classifier", "-p", "project=16",
                "-p", "hidden=16", "-p", "eval-samples=300", "--steps", "25", "--seeds", "3", "--threads", "1",
                "--optimizer", "adam:lr=0.01", "--optimizer", "adagrad:lr=0.1", "--optimizer", "learned:mnist-v1",
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return l2o(args.toArray(String[]::new));
    }

    @BeforeAll
    static void runLocally() {
        local = shared.resolve("local");
        Run r = evaluate(local, "--quiet");
        assertEquals(0, r.code(), r.err());
    }

    /** Starts a worker JVM (joining {@code join}'s cluster, if given); returns its HOST:PORT once it listens. */
    private String worker(String name, String join, String... properties) throws IOException, InterruptedException {
        return workerWithout("", name, join, properties);
    }

    /** As above, without the class path entries whose path contains {@code without} (when not empty). */
    private String workerWithout(String without, String name, String join, String... properties)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        if (!without.isEmpty()) {
            classPath = String.join(File.pathSeparator, Arrays.stream(classPath.split(File.pathSeparator))
                    .filter(e -> !e.contains(without)).toList());
        }
        // the same JVM options as this one (the vector API changes the last bits of some kernels)
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-modules", "jdk.incubator.vector"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", classPath, Main.class.getName(), "worker", "--port", "5901", "--cluster-name",
                name, "--threads", "1"));
        if (join != null) {
            command.addAll(List.of("--join", join));
        }
        Path log = dir.resolve("worker-" + workers.size() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        workers.add(p);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < end) {
            Matcher m = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1) + ":" + m.group(2);
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the worker did not start:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (Process p : workers) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static void assertSameResults(Path cluster) throws IOException {
        assertArrayEquals(Files.readAllBytes(local.resolve("summary.csv")), Files.readAllBytes(cluster.resolve("summary.csv")),
                "summary.csv differs from the local run's");
        List<TrajectoryRecord> a = ArrowTrajectories.read(local.resolve("trajectories.arrow"));
        List<TrajectoryRecord> b = ArrowTrajectories.read(cluster.resolve("trajectories.arrow"));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            TrajectoryRecord x = a.get(i);
            TrajectoryRecord y = b.get(i);
            assertEquals(x.runId() + "@" + x.step(), y.runId() + "@" + y.step(), "record " + i);
            assertEquals(x.value(), y.value(), 0.0, "value of " + x.runId() + " at step " + x.step());
            assertEquals(x.observedValue(), y.observedValue(), 0.0);
            assertEquals(x.gradNorm(), y.gradNorm(), 0.0);
            assertEquals(x.stepNorm(), y.stepNorm(), 0.0);
            assertEquals(x.evaluations(), y.evaluations());
        }
    }

    private static long remoteRuns(Run r) {
        Matcher m = Pattern.compile("cluster: (\\d+) run\\(s\\) on workers").matcher(r.err());
        assertTrue(m.find(), "no cluster line in:\n" + r.err());
        return Long.parseLong(m.group(1));
    }

    @Test
    void twoWorkersGiveTheLocalResults() throws Exception {
        String a = worker("l2o", null);
        worker("l2o", a);
        Path out = dir.resolve("cluster");
        Run r = evaluate(out, "--cluster", a);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("2 worker(s)"), r.err());
        assertTrue(remoteRuns(r) > 0, "no run went to a worker:\n" + r.err());
        assertSameResults(out);
    }

    @Test
    void aWorkerThatDiesMidRunChangesNothing() throws Exception {
        String a = worker("l2o", null, "-D" + Worker.HALT_AFTER + "=0");
        worker("l2o", a);
        Path out = dir.resolve("cluster");
        Run r = evaluate(out, "--cluster", a);
        assertEquals(0, r.code(), r.err());
        assertTrue(workers.get(0).waitFor(30, TimeUnit.SECONDS), "the first worker should have halted");
        assertEquals(3, workers.get(0).exitValue(), "the first worker should have halted at its first run");
        assertSameResults(out);
    }

    @Test
    void tuningOnAWorkerChoosesAsTuningAlone() throws Exception {
        String a = worker("l2o", null);
        String[] args = {"tune", "--objective", "mlp-classifier", "-p", "project=16", "-p", "hidden=16", "-p",
            "eval-samples=300", "--optimizer", "adam", "--grid", "lr=0.003,0.01,0.03", "--steps", "20", "--seeds", "2",
            "--threads", "1"};
        Path alone = dir.resolve("alone");
        Path cluster = dir.resolve("cluster");
        Run r1 = l2o(concat(args, "--quiet", "--out", alone.toString()));
        Run r2 = l2o(concat(args, "--cluster", a, "--out", cluster.toString()));
        assertEquals(0, r1.code(), r1.err());
        assertEquals(0, r2.code(), r2.err());
        assertTrue(remoteRuns(r2) > 0, r2.err());
        assertArrayEquals(Files.readAllBytes(alone.resolve("grid.csv")), Files.readAllBytes(cluster.resolve("grid.csv")));
        assertArrayEquals(Files.readAllBytes(alone.resolve("tuned.json")),
                Files.readAllBytes(cluster.resolve("tuned.json")));
    }

    /** The quick li-malik-2017 (tuning, meta-training, evaluation), then its evaluation again with a worker. */
    @Test
    void anExperimentsEvaluationOnAWorkerGivesTheSameTables() throws Exception {
        Path first = dir.resolve("experiment");
        Run local = l2o("experiment", "li-malik-2017", "--quick", "--threads", "1", "-q", "--out", first.toString());
        assertEquals(0, local.code(), local.err());
        String a = worker("l2o", null);
        Path again = dir.resolve("again");
        Run r = l2o("experiment", "li-malik-2017", "--quick", "--threads", "1", "--from", first.toString(),
                "--cluster", a, "--out", again.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(remoteRuns(r) > 0, r.err());
        for (String table : List.of("summary.csv", "comparison.csv")) {
            assertArrayEquals(Files.readAllBytes(first.resolve(table)), Files.readAllBytes(again.resolve(table)), table);
        }
    }

    /** The quick li-malik-2016 on one problem: its tuning and evaluation on a worker give the same tables. */
    @Test
    void liMalik2016OnAWorkerGivesTheSameTables() throws Exception {
        String[] args = {"experiment", "li-malik-2016", "--quick", "--problems", "logistic-regression", "--no-contour",
            "--iterations", "2", "--threads", "1"};
        Path alone = dir.resolve("alone");
        Run r1 = l2o(concat(args, "-q", "--out", alone.toString()));
        assertEquals(0, r1.code(), r1.err());
        String a = worker("l2o", null);
        Path cluster = dir.resolve("cluster");
        Run r2 = l2o(concat(args, "--cluster", a, "--out", cluster.toString()));
        assertEquals(0, r2.code(), r2.err());
        assertTrue(remoteRuns(r2) > 0, r2.err());
        for (String table : List.of("summary.csv", "logistic-regression/steps.csv")) {
            assertArrayEquals(Files.readAllBytes(alone.resolve(table)), Files.readAllBytes(cluster.resolve(table)), table);
        }
    }

    /**
     * PES meta-training with its unrolls on two workers, one of which halts when its first rollout
     * arrives, learns the optimizer a run on this JVM alone learns, bit for bit. (Halting at a later
     * rollout made the test depend on how the driver's own slot and the other worker split the
     * rollouts: a cold worker JVM sometimes got fewer than that many and never halted.)
     */
    @Test
    void pesOnWorkersLearnsTheLocalOptimizerEvenWhenOneDies() throws Exception {
        String[] args = {"train", "--trainer", "pes", "--objective", "mlp-classifier", "-p", "project=16", "-p",
            "hidden=16", "-p", "eval-samples=300", "--train-objectives", "20", "--steps", "20", "--iterations", "3",
            "--trainer-param", "pairs=3", "--trainer-param", "truncation=5", "--trainer-param", "min-length=8",
            "--trainer-param", "max-length=30", "--trainer-param", "validation-objectives=2", "--trainer-param",
            "validate-every=2", "--policy", "mlp-lopt:hidden=8,nominal-lr=0.1", "--seed", "1", "--threads", "1",
            "--no-samples"};
        Path alone = dir.resolve("alone.l2o");
        Run r1 = l2o(concat(args, "--quiet", "--out", alone.toString()));
        assertEquals(0, r1.code(), r1.err());
        String a = worker("l2o", null, "-D" + Worker.HALT_AFTER + "=0");
        worker("l2o", a);
        Path cluster = dir.resolve("cluster.l2o");
        Run r2 = l2o(concat(args, "--cluster", a, "--out", cluster.toString()));
        assertEquals(0, r2.code(), r2.err());
        assertTrue(remoteRuns(r2) > 0, "no rollout went to a worker:\n" + r2.err());
        assertTrue(workers.get(0).waitFor(30, TimeUnit.SECONDS), "the first worker should have halted");
        assertEquals(3, workers.get(0).exitValue(), "the first worker should have halted at its first rollout");
        double[] expected = LearnedOptimizerFile.read(alone).weights().get("parameters").toDoubleVector();
        double[] actual = LearnedOptimizerFile.read(cluster).weights().get("parameters").toDoubleVector();
        assertArrayEquals(expected, actual, 0.0, "the learned optimizer depends on where its rollouts ran");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aWorkerWithoutAPluginTheRunNeedsIsNamed() throws Exception {
        String a = workerWithout("l2o-objectives", "l2o", null);
        Run r = evaluate(dir.resolve("cluster"), "--cluster", a);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("worker") && r.err().contains("'mlp-classifier'"), r.err());
    }

    @Test
    void aWorkerWhoseNumericsDifferIsNotUsed() throws Exception {
        String a = worker("l2o", null, "-Dl2o.simd=false");
        Path out = dir.resolve("cluster");
        Run r = evaluate(out, "--cluster", a);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("0 worker(s)") && r.err().contains("simd off"), r.err());
        assertEquals(0, remoteRuns(r));
        assertSameResults(out);
    }

    @Test
    void aWorkerOfAnotherClusterIsNotUsed() throws Exception {
        String other = worker("someone-else", null);
        Path out = dir.resolve("cluster");
        Run r = evaluate(out, "--cluster", other);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("0 worker(s)"), r.err());
        assertEquals(0, remoteRuns(r));
        assertSameResults(out);
    }
}
