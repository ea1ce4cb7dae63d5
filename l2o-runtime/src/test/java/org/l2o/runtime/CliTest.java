package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.runtime.io.ArrowTrajectories;

class CliTest {

    @TempDir
    Path tmp;

    @Test
    void pluginsListsEveryKindAndDescribeShowsParameters() {
        var r = Cli.run("plugins");
        assertEquals(0, r.code(), r.err());
        for (String id : List.of("quadratic", "rosenbrock", "logistic-regression", "robust-regression", "nn-classifier",
                "mlp-classifier", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "cg", "lbfgs")) {
            assertTrue(r.out().contains(id), id + " missing from:\n" + r.out());
        }
        var d = Cli.run("plugins", "describe", "momentum");
        assertEquals(0, d.code());
        assertTrue(d.out().contains("lr") && d.out().contains("momentum") && d.out().contains("[0, 1)"), d.out());
        // a trainer shows what it composes a run from, a policy class what it offers
        var t = Cli.run("plugins", "describe", "bptt");
        assertTrue(t.out().contains("default policy lstm-coordinatewise, default features lm2016, needs a policy that is "
                + "coordinatewise, differentiable"), t.out());
        var p = Cli.run("plugins", "describe", "mlp");
        assertTrue(p.out().contains("capabilities: differentiable, stochastic"), p.out());
        var u = Cli.run("plugins", "describe", "nope");
        assertEquals(2, u.code());
        assertTrue(u.err().contains("unknown plugin 'nope'"), u.err());
    }

    @Test
    void evaluateRosenbrockWritesAllOutputs() throws IOException {
        Path out = tmp.resolve("rosen");
        var r = Cli.run("evaluate", "--objective", "rosenbrock", "--x0", "-1.5,2", "--optimizer", "adam:lr=0.01",
                "--optimizer", "momentum:lr=0.001,momentum=0.9", "--steps", "200", "--seeds", "1", "--out",
                out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("trajectories.arrow", "summary.csv", "loss.png", "loss.svg", "report.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<TrajectoryRecord> rows = ArrowTrajectories.read(out.resolve("trajectories.arrow"));
        assertEquals(2 * 201, rows.size());
        TrajectoryRecord first = rows.get(0);
        assertEquals("adam:lr=0.01", first.optimizer());
        assertEquals("rosenbrock", first.objective());
        assertEquals(0, first.step());
        // f(-1.5, 2) = 100 (2 - 2.25)^2 + (1 + 1.5)^2 = 12.5
        assertEquals(12.5, first.value(), 1e-12);
        assertEquals(first.value(), first.observedValue(), 0.0);
        assertEquals(0.0, first.stepNorm(), 0.0);
        assertEquals(1, first.evaluations());
        TrajectoryRecord last = rows.get(rows.size() - 1);
        assertEquals(200, last.step());
        assertEquals("momentum:lr=0.001,momentum=0.9#0", last.runId());
        assertEquals(201, last.evaluations());
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals("optimizer,objective,seeds,steps,mean_final_value,std_final_value,mean_auc,diverged_runs,"
                + "mean_evaluations", csv.get(0));
        assertEquals(3, csv.size());
        // both optimizers make progress from 12.5 on this start
        for (String line : csv.subList(1, 3)) {
            String[] cells = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            assertTrue(Double.parseDouble(cells[4]) < 12.5, line);
            assertEquals("0", cells[7]);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("loss.png") && html.contains("adam:lr=0.01"));
    }

    @Test
    void evaluateIsDeterministicAndSeedsAreSharedAcrossOptimizers() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String[] args = {"evaluate", "--objective", "logistic-regression", "--optimizer", "sgd:lr=1",
            "--optimizer", "lbfgs", "--steps", "30", "--seeds", "3", "--seed", "7", "--quiet", "--out"};
        assertEquals(0, Cli.run(concat(args, a.toString())).code());
        assertEquals(0, Cli.run(concat(args, b.toString())).code());
        assertEquals(Files.readString(a.resolve("summary.csv")), Files.readString(b.resolve("summary.csv")));
        List<TrajectoryRecord> rows = ArrowTrajectories.read(a.resolve("trajectories.arrow"));
        for (int seed = 0; seed < 3; seed++) {
            final int s = seed;
            // every optimizer starts from the same objective and point for a given seed
            double[] starts = rows.stream().filter(t -> t.seed() == s && t.step() == 0)
                    .mapToDouble(TrajectoryRecord::value).toArray();
            assertEquals(2, starts.length);
            assertEquals(starts[0], starts[1], 0.0);
        }
        double[] seedStarts = rows.stream().filter(t -> t.step() == 0 && t.optimizer().equals("sgd:lr=1"))
                .mapToDouble(TrajectoryRecord::value).toArray();
        assertEquals(3, java.util.Arrays.stream(seedStarts).distinct().count());
        // L-BFGS's line-search evaluations are counted separately from its steps
        long lbfgsEvals = rows.stream().filter(t -> t.optimizer().equals("lbfgs") && t.step() == 30)
                .mapToLong(TrajectoryRecord::evaluations).max().orElseThrow();
        assertTrue(lbfgsEvals >= 31, "evaluations " + lbfgsEvals);
    }

    @Test
    void reportTabulatesMeansAndSharesAtSteps() throws IOException {
        Path out = tmp.resolve("rep");
        assertEquals(0, Cli.run("evaluate", "--objective", "quadratic", "--optimizer", "sgd:lr=0.01", "--optimizer",
                "sgd:lr=0.1", "--steps", "20", "--seeds", "3", "--quiet", "--out", out.toString()).code());
        var r = Cli.run("report", out.resolve("trajectories.arrow").toString(), "--at", "0,10,20", "--reference",
                "sgd:lr=0.01");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals("optimizer,mean@0,mean@10,mean@20,better_than_ref@0,better_than_ref@10,better_than_ref@20,"
                + "diverged_runs", lines[0]);
        // the larger step is better than the smaller one on every objective after step 0, never at step 0
        assertTrue(lines[2].startsWith("sgd:lr=0.1,") && lines[2].endsWith(",0%,100%,100%,0"), lines[2]);
        var bad = Cli.run("report", out.resolve("trajectories.arrow").toString(), "--at", "50");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--at 50"), bad.err());
    }

    @Test
    void tuneFindsTheBestGridPointOnTrainingObjectives() throws IOException {
        Path out = tmp.resolve("tune");
        var r = Cli.run("tune", "--objective", "logistic-regression", "--optimizer", "momentum", "--grid",
                "lr=0.01,0.5,2", "--grid", "momentum=0,0.5", "--steps", "40", "--seeds", "4", "--out", out.toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("tuned.json").toFile());
        assertEquals(6, json.get("grid").size());
        double best = json.get("score").asDouble();
        for (JsonNode g : json.get("grid")) {
            if (!g.get("score").isNull()) {
                assertTrue(best <= g.get("score").asDouble());
            }
        }
        assertEquals("momentum", json.get("optimizer").asText());
        assertTrue(r.out().contains("best: " + json.get("spec").asText()), r.out());
        // lr = 0.01 is far too small on these objectives: it cannot win
        assertFalse(json.get("spec").asText().contains("lr=0.01"));
        assertTrue(Files.exists(out.resolve("grid.csv")));
    }

    /** Every kind of bad input: exit code 2, one error line naming the culprit, output untouched. */
    /** A run that fills the heap (here: a family whose objectives cannot be built) ends with one line saying what to do. */
    @Test
    void runningOutOfMemorySaysHowToGiveTheJvmMore() {
        var quadratic = new org.l2o.objectives.synthetic.QuadraticProvider();
        org.l2o.api.objective.ObjectiveProvider greedy = new org.l2o.api.objective.ObjectiveProvider() {
            @Override
            public String id() {
                return "greedy";
            }

            @Override
            public String description() {
                return "a family whose every objective fills the heap";
            }

            @Override
            public List<org.l2o.api.ParameterSpec> parameters() {
                return quadratic.parameters();
            }

            @Override
            public org.l2o.api.objective.ObjectiveFamily create(org.l2o.api.Config config,
                                                                 org.l2o.api.CreationContext context) {
                return new org.l2o.api.objective.ObjectiveFamily() {
                    @Override
                    public String id() {
                        return "greedy";
                    }

                    @Override
                    public org.l2o.api.objective.Objective sample(java.util.random.RandomGenerator random) {
                        throw new OutOfMemoryError("Java heap space");
                    }
                };
            }
        };
        List<org.l2o.api.PluginProvider> plugins = new ArrayList<>(PluginRegistry.discover().all());
        plugins.add(greedy);
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new String[] {"evaluate", "--objective", "greedy", "--optimizer", "sgd", "--threads", "2",
            "--seeds", "2", "--quiet", "--out", tmp.resolve("oom").toString()}, java.util.Map.of(),
                new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true),
                PluginRegistry.of(plugins));
        assertEquals(1, code, err.toString());
        String[] lines = err.toString().strip().split("\n");
        assertEquals(1, lines.length, err.toString());
        assertTrue(lines[0].startsWith("l2o: error: out of memory") && lines[0].contains("L2O_JAVA_OPTS"), lines[0]);
        assertFalse(Files.exists(tmp.resolve("oom")), "nothing half-written");
    }

    @Test
    void badInputFailsCleanlyAndLeavesExistingResultsAlone() throws IOException {
        Path out = tmp.resolve("existing");
        Files.createDirectories(out);
        Files.writeString(out.resolve("summary.csv"), "precious");
        Path empty = Files.createDirectories(tmp.resolve("empty-data"));
        Path corrupt = Files.createDirectories(tmp.resolve("corrupt-data/mnist"));
        Files.write(corrupt.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 0x0D, 3, 0, 0, 0, 1});
        Files.write(corrupt.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 0});
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String o = out.toString();
        List<String[]> cases = List.of(
                new String[] {"no-such-objective", "--objective", "no-such-objective", "--optimizer", "sgd", "--out", o},
                new String[] {"no-such-optimizer", "--objective", "quadratic", "--optimizer", "no-such-optimizer", "--out", o},
                new String[] {"'lrr'", "--objective", "quadratic", "--optimizer", "adam:lrr=1", "--out", o},
                new String[] {"'-1'", "--objective", "quadratic", "--optimizer", "adam:lr=-1", "--out", o},
                new String[] {"'dimension'", "--objective", "quadratic", "--param", "dimension=0", "--optimizer", "sgd",
                    "--out", o},
                new String[] {"'bogus'", "--objective", "quadratic", "--param", "bogus=1", "--optimizer", "sgd", "--out", o},
                new String[] {empty.resolve("mnist").toString(), "--objective", "mlp-classifier", "--data-dir",
                    empty.toString(), "--optimizer", "sgd", "--out", o},
                new String[] {"magic number", "--objective", "mlp-classifier", "--data-dir",
                    corrupt.getParent().toString(), "--optimizer", "sgd", "--out", o},
                new String[] {"--x0", "--objective", "rosenbrock", "--x0", "1,2,3", "--optimizer", "sgd", "--out", o},
                new String[] {file.toString(), "--objective", "quadratic", "--optimizer", "sgd", "--out",
                    file.resolve("sub").toString()},
                new String[] {"--steps", "--objective", "quadratic", "--optimizer", "sgd", "--steps", "0", "--out", o});
        for (String[] c : cases) {
            String expected = c[0];
            String[] args = concat(new String[] {"evaluate", "--quiet"}, java.util.Arrays.copyOfRange(c, 1, c.length));
            var r = Cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
            String[] lines = r.err().strip().split("\n");
            assertTrue(lines[0].startsWith("l2o: error: ") && lines[0].contains(expected),
                    "expected the message to name " + expected + ": " + r.err());
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(out.resolve("summary.csv")), files.toList());
            }
            assertEquals("precious", Files.readString(out.resolve("summary.csv")));
            try (Stream<Path> left = Files.list(tmp)) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "staging left behind");
            }
        }
    }

    @Test
    void rerunReplacesResultsInAnExistingFolder() throws IOException {
        Path out = tmp.resolve("again");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        String[] args = {"evaluate", "--objective", "quadratic", "--optimizer", "sgd:lr=0.1", "--steps", "5", "--quiet",
            "--out", out.toString()};
        assertEquals(0, Cli.run(args).code());
        assertEquals(0, Cli.run(args).code());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertTrue(Files.exists(out.resolve("trajectories.arrow")));
    }

    @Test
    void argumentFilesHoldDefaultsThatFlagsOverride() throws IOException {
        Path args = Files.writeString(tmp.resolve("args.txt"), "--objective\nquadratic\n--optimizer\nsgd:lr=0.1\n"
                + "--steps\n50\n--quiet\n");
        Path out = tmp.resolve("af");
        var r = Cli.run("evaluate", "@" + args, "--steps", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readAllLines(out.resolve("summary.csv")).get(1).startsWith("sgd:lr=0.1,quadratic,1,7,"));
    }

    @Test
    void helpAndMissingOptions() {
        var h = Cli.run("evaluate", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("--optimizer") && h.out().contains("--x0"));
        var m = Cli.run("evaluate", "--objective", "quadratic");
        assertEquals(2, m.code());
        assertTrue(m.err().contains("Missing required option"), m.err());
    }

    static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }
}
