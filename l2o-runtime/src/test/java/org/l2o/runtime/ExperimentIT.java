package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.PluginProvider;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.runtime.run.RunCheckpoint;

/** The reduced Li & Malik 2016 reproduction, end to end, as CI runs it. */
class ExperimentIT {

    /** {@code mlp-classifier} whose families of minibatch 10 fail on their first test objective, like a crash. */
    static final class CrashingAtBatch10 implements ObjectiveProvider {
        private final ObjectiveProvider real = PluginRegistry.discover().objective("mlp-classifier");

        @Override
        public String id() {
            return real.id();
        }

        @Override
        public String description() {
            return real.description();
        }

        @Override
        public List<ParameterSpec> parameters() {
            return real.parameters();
        }

        @Override
        public ObjectiveFamily create(Config config, CreationContext context) {
            ObjectiveFamily family = real.create(config, context);
            if (!config.text().get("batch").equals("10")) {
                return family;
            }
            return new ObjectiveFamily() {
                @Override
                public String id() {
                    return family.id();
                }

                @Override
                public Objective sample(RandomGenerator random) {
                    return family.sample(random);
                }

                @Override
                public Objective train(long seed, int index) {
                    return family.train(seed, index);
                }

                @Override
                public Objective test(long seed, int index) {
                    throw new IllegalStateException("simulated crash");
                }
            };
        }
    }

    @TempDir
    Path tmp;

    /**
     * Every stage of the 2016 experiment, end to end, at sizes below even the quick preset's (a
     * settings file replaces its sizes; the contour keeps the preset's), so the suite stays short;
     * the quick preset itself is what users run.
     */
    @Test
    void quickLiMalik2016WritesEveryOutput() throws IOException, java.net.URISyntaxException {
        Path out = tmp.resolve("lm2016");
        Path smaller = Path.of(ExperimentIT.class.getResource("/li-malik-2016-smaller.json").toURI());
        var r = Cli.run("experiment", "li-malik-2016", "--quick", "--settings", smaller.toString(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        for (String problem : List.of("logistic-regression", "robust-regression", "nn-classifier")) {
            for (String f : List.of("summary.csv", "margin.png", "margin.svg", "example-0.png", "example-1.png",
                    "evaluations.png", "trajectories.arrow", "learned-gps.l2o", "learned-gps-lopt.l2o",
                    "learned-pes-lopt.l2o")) {
                assertTrue(Files.size(out.resolve(problem).resolve(f)) > 0, problem + "/" + f);
            }
            List<String> csv = Files.readAllLines(out.resolve(problem).resolve("summary.csv"));
            assertEquals(9, csv.size(), "header, the paper's four tuned and GPS optimizers, tuned AdaGrad (the "
                    + "nominal term's step size) and mlp-lopt trained by gps-groups and pes: " + csv);
            assertTrue(csv.get(0).startsWith("problem,optimizer,objective,seeds,steps,mean_final_value"));
            assertTrue(csv.stream().anyMatch(l -> l.startsWith(problem + ",learned:pes-lopt,")), csv.toString());
            // trained on this problem's objectives with the tuned AdaGrad step as the nominal term
            var lo = org.l2o.runtime.io.LearnedOptimizerFile.read(out.resolve(problem).resolve("learned-gps-lopt.l2o"));
            assertEquals("mlp-lopt", lo.policyClass());
            assertEquals("gps-groups", lo.provenance().trainer());
            String adagrad = csv.stream().filter(l -> l.startsWith(problem + ",adagrad:lr=")).findFirst().orElseThrow()
                    .split(",")[1].substring("adagrad:lr=".length());
            assertEquals(Double.parseDouble(adagrad), Double.parseDouble(lo.policyParameters().get("nominal-lr")));
        }
        assertTrue(Files.size(out.resolve("contour.png")) > 0);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Wall time") && html.contains("margin.png") && html.contains("contour.png"));
        // the cost-fair comparison beside the paper's per-iteration one
        assertTrue(html.contains("evaluations.png") && html.contains("40 evaluations"), html);
        assertEquals(1 + 3 * 8, Files.readAllLines(out.resolve("summary.csv")).size());
        assertTrue(html.contains("pes-lopt") && html.contains("inner steps") && html.contains("kept iteration"), html);
        // what PES's candidates have to beat is in the log
        assertTrue(r.out().contains("logistic-regression pes-lopt starting optimizer: validation "), r.out());
        // every meta-training is checkpointed: the same command again continues each learned row from its
        // checkpoint (here at its last iteration) and writes the same tables
        for (String row : List.of("logistic-regression-gps", "logistic-regression-gps-lopt",
                "logistic-regression-pes-lopt", "nn-classifier-gps", "contour-gps")) {
            assertTrue(Files.isRegularFile(out.resolve("meta-training").resolve(row + ".l2o.checkpoint")), row);
        }
        List<String> before = Files.readAllLines(out.resolve("logistic-regression").resolve("summary.csv"));
        var again = Cli.run("experiment", "li-malik-2016", "--quick", "--settings", smaller.toString(), "--problems",
                "logistic-regression", "--no-contour", "--out", out.toString());
        assertEquals(0, again.code(), again.out() + again.err());
        for (String row : List.of("gps", "gps-lopt", "pes-lopt")) {
            assertTrue(again.out().contains("continuing from meta-training/logistic-regression-" + row
                    + ".l2o.checkpoint"), again.out());
        }
        assertEquals(before, Files.readAllLines(out.resolve("logistic-regression").resolve("summary.csv")));
        var bad = Cli.run("experiment", "no-such", "--out", tmp.resolve("x").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown experiment 'no-such'"), bad.err());
    }

    /**
     * {@code --meta-seed} changes the meta-training and nothing else: the same tuning and test runs
     * (the baselines' rows to the digit), another learned optimizer, its seed in the provenance.
     */
    @Test
    void aMetaSeedChangesTheMetaTrainingAlone() throws IOException {
        // the quick preset with its schedule row alone, on one setting, no faithful rows and no oracle
        Path settings = Files.writeString(tmp.resolve("meta-seed.json"), "{\"gps\": null, \"bptt\": null, "
                + "\"oracle\": null, \"targets\": [{\"dataset\": \"fashion-mnist\", \"cell\": \"48-48-b64\", "
                + "\"inputs\": 48, \"hidden\": 48, \"batch\": 64, \"horizons\": 1}]}");
        Path plain = tmp.resolve("plain");
        Path other = tmp.resolve("other");
        var a = Cli.run("experiment", "li-malik-2017", "--quick", "--settings", settings.toString(), "--out",
                plain.toString(), "--quiet");
        assertEquals(0, a.code(), a.out() + a.err());
        var b = Cli.run("experiment", "li-malik-2017", "--quick", "--settings", settings.toString(), "--meta-seed", "7",
                "--out", other.toString(), "--quiet");
        assertEquals(0, b.code(), b.out() + b.err());
        var learnedA = org.l2o.runtime.io.LearnedOptimizerFile.read(plain.resolve("learned-schedule.l2o"));
        var learnedB = org.l2o.runtime.io.LearnedOptimizerFile.read(other.resolve("learned-schedule.l2o"));
        assertEquals(0, learnedA.provenance().seed());
        assertEquals(7, learnedB.provenance().seed());
        assertFalse(java.util.Arrays.equals(learnedA.weights().get("parameters").toDoubleVector(),
                learnedB.weights().get("parameters").toDoubleVector()), "another meta-training seed, other weights");
        List<String> baselinesA = Files.readAllLines(plain.resolve("summary.csv")).stream()
                .filter(l -> l.contains(",baseline,")).toList();
        assertEquals(7, baselinesA.size(), baselinesA.toString());
        assertEquals(baselinesA, Files.readAllLines(other.resolve("summary.csv")).stream()
                .filter(l -> l.contains(",baseline,")).toList(), "the same tuning and test runs");
        assertTrue(Files.readString(other.resolve("report.html")).contains("--meta-seed 7"));
        // nothing to meta-train with --from, and no meta-training seed in the 2016 experiment
        var fromToo = Cli.run("experiment", "li-malik-2017", "--quick", "--from", plain.toString(), "--meta-seed", "7",
                "--out", tmp.resolve("x").toString());
        assertEquals(2, fromToo.code());
        assertTrue(fromToo.err().contains("--meta-seed with --from"), fromToo.err());
        var lm2016 = Cli.run("experiment", "li-malik-2016", "--quick", "--meta-seed", "7", "--out",
                tmp.resolve("y").toString());
        assertEquals(2, lm2016.code());
        assertTrue(lm2016.err().contains("--meta-seed"), lm2016.err());
    }

    /**
     * The reduced 2017 experiment on the embedded Fashion-MNIST subset: tuned baselines, both learned
     * optimizers, one summary row per optimizer and cell, the files a user evaluates again, and a
     * learned file that `evaluate` runs.
     */
    @Test
    void quickLiMalik2017WritesEveryOutputAndItsLearnedOptimizersRunInEvaluate() throws IOException {
        Path out = tmp.resolve("lm2017");
        var r = Cli.run("experiment", "li-malik-2017", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        for (String f : List.of("learned-gps.l2o", "learned-bptt.l2o", "learned-pes.l2o", "learned-schedule.l2o",
                "tuned.json", "summary.csv", "comparison.csv", "report.html",
                "fashion-mnist/48-48-b64.png", "fashion-mnist/48-48-b10.svg", "fashion-mnist/48-48-b64.arrow")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(csv.get(0).startsWith("dataset,setting,role,optimizer,objective,seeds,steps,mean_final_value"),
                csv.get(0));
        assertEquals(1 + 2 * 13, csv.size(), "two cells of seven tuned, four learned and two oracle optimizers: " + csv);
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("fashion-mnist,48-48-b10,learned,learned:bptt,")),
                csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("fashion-mnist,48-48-b10,schedule,learned:schedule,")),
                csv.toString());
        assertEquals(2 * 2, csv.stream().filter(l -> l.contains(",oracle,oracle:")).count(), csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("fashion-mnist,48-48-b64,baseline,adagrad:")), csv.toString());
        List<String> comparison = Files.readAllLines(out.resolve("comparison.csv"));
        assertEquals(1 + 2 * 3, comparison.size(), "gps, bptt and pes in two cells: " + comparison);
        assertTrue(comparison.stream().anyMatch(l -> l.startsWith("fashion-mnist,48-48-b64,learned:pes,")),
                comparison.toString());
        String tuned = Files.readString(out.resolve("tuned.json"));
        for (String id : List.of("sgd", "momentum", "cg", "lbfgs", "adam", "adagrad", "rmsprop")) {
            assertTrue(tuned.contains("\"" + id + "\""), id + " in " + tuned);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Results grid") && html.contains("gps rank"), html);
        // the budget each meta-training spent, from the learned files' provenance
        assertTrue(html.contains("inner steps") && !html.contains("not recorded"), html);
        var eval = Cli.run("evaluate", "--objective", "mlp-classifier", "--param", "dataset=fashion-mnist",
                "--param", "project=48", "--param", "hidden=48", "--param", "eval-samples=300",
                "--optimizer", "learned:" + out.resolve("learned-gps.l2o"), "--steps", "5", "--seeds", "1",
                "--out", tmp.resolve("eval").toString(), "--quiet");
        assertEquals(0, eval.code(), eval.out() + eval.err());
        // the faithful rows are checkpointed like the learned ones: the same command again continues from their
        // checkpoints (here at their last iteration) and ends with the same tables
        var rerun = Cli.run("experiment", "li-malik-2017", "--quick", "--out", out.toString());
        assertEquals(0, rerun.code(), rerun.out() + rerun.err());
        assertTrue(rerun.out().contains("gps-groups: continuing from learned-gps.l2o.checkpoint")
                && rerun.out().contains("bptt: continuing from learned-bptt.l2o.checkpoint"), rerun.out());
        assertEquals(csv, Files.readAllLines(out.resolve("summary.csv")));
        // an evaluation continued with --from reads finished dataset folders back: the same summary
        var again = Cli.run("experiment", "li-malik-2017", "--quick", "--from", out.toString(), "--out", out.toString());
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().contains("read back"), again.out());
        assertEquals(csv, Files.readAllLines(out.resolve("summary.csv")));
        // a row changed under its old name is not silently evaluated from the earlier run's file
        var quickPreset = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(getClass().getResourceAsStream("/org/l2o/runtime/experiment/li-malik-2017-quick.json"));
        var changed = quickPreset.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) changed.withArray("learned").get(0).get("trainerParams"))
                .put("validate-every", "1");
        Path changedFile = tmp.resolve("changed-row.json");
        Files.writeString(changedFile, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(changed));
        var stale = Cli.run("experiment", "li-malik-2017", "--quick", "--settings", changedFile.toString(), "--from",
                out.toString(), "--out", tmp.resolve("stale").toString());
        assertEquals(2, stale.code(), stale.out() + stale.err());
        assertTrue(stale.err().contains("learned-pes.l2o") && stale.err().contains("trainerParams.validate-every: the "
                + "row says 1, the file has 2"), stale.err());
        // a run that dies in the second setting continues there: the first setting's runs and the second's
        // oracle grid are read back from their checkpoints, and the tables are those of an uninterrupted run
        Path cut = tmp.resolve("cut");
        String[] evaluation = {"experiment", "li-malik-2017", "--quick", "--from", out.toString(), "--out", cut.toString()};
        List<PluginProvider> crashing = new ArrayList<>(PluginRegistry.discover().all());
        crashing.removeIf(p -> p.id().equals("mlp-classifier") && p instanceof ObjectiveProvider);
        crashing.add(new CrashingAtBatch10());
        StringWriter diedOut = new StringWriter();
        int died = Main.run(evaluation, Map.of(), new PrintWriter(diedOut, true), new PrintWriter(new StringWriter(), true),
                PluginRegistry.of(crashing));
        assertTrue(died != 0, diedOut.toString());
        Path first = RunCheckpoint.fileFor(cut.resolve("fashion-mnist.48-48-b64"));
        assertTrue(Files.exists(first), "the finished setting's runs should be kept: " + diedOut);
        var resumed = Cli.run(evaluation);
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("fashion-mnist 48-48-b64: 26 run(s) read back"), resumed.out());
        assertTrue(resumed.out().contains("48-48-b10 oracle adam: 2 run(s) read back"), resumed.out());
        assertEquals(csv, Files.readAllLines(cut.resolve("summary.csv")));
        assertFalse(Files.exists(first), "checkpoints go once the dataset's folder is written");
        // a setting on a plugin's objective that is not installed here (l2o-dl4j's) is skipped, the rest run;
        // and an ablation row (here the pes recipe unchanged, trained again as "pes-again") is compared with its
        // reference in ablation.csv: the same recipe gives the same optimizer, so the difference is exactly 0
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var preset = mapper.readTree(getClass().getResourceAsStream("/org/l2o/runtime/experiment/li-malik-2017-quick.json"));
        var learned = (com.fasterxml.jackson.databind.node.ArrayNode) preset.get("learned").deepCopy();
        var ablated = ((com.fasterxml.jackson.databind.node.ObjectNode) learned.get(0).deepCopy()).put("name", "pes-again")
                .put("ablationOf", "pes");
        learned.add(ablated);
        // and a recipe that cannot be meta-trained (perturbations that make every inner run diverge) is left out
        var wild = (com.fasterxml.jackson.databind.node.ObjectNode) learned.get(0).deepCopy();
        wild.put("name", "pes-wild");
        ((com.fasterxml.jackson.databind.node.ObjectNode) wild.get("trainerParams")).put("sigma", "1e6");
        learned.add(wild);
        Path conv = Files.writeString(tmp.resolve("conv.json"), """
                {"targets": [{"dataset": "fashion-mnist", "cell": "48-48-b10", "inputs": 48, "hidden": 48,
                              "batch": 10, "horizons": 1},
                             {"dataset": "fashion-mnist", "cell": "lenet-b64", "objective": "dl4j-network",
                              "objectiveParams": {"network": "lenet", "batch": "64"}, "eval": 200, "horizons": 1},
                             {"dataset": "mnist", "cell": "lenet-b64", "objective": "dl4j-network",
                              "objectiveParams": {"network": "lenet", "batch": "64"}, "eval": 200, "horizons": 1}],
                 "learned": LEARNED}
                """.replace("LEARNED", mapper.writeValueAsString(learned)));
        var skipped = Cli.run("experiment", "li-malik-2017", "--quick", "--settings", conv.toString(), "--from",
                out.toString(), "--out", tmp.resolve("conv").toString());
        assertEquals(0, skipped.code(), skipped.out() + skipped.err());
        assertTrue(skipped.out().contains("fashion-mnist lenet-b64: skipped (objective plugin 'dl4j-network' is not "
                + "installed)"), skipped.out());
        List<String> convRows = Files.readAllLines(tmp.resolve("conv/summary.csv"));
        assertEquals(1 + 14, convRows.size(), convRows.toString());
        assertTrue(skipped.out().contains("learned:pes-wild: meta-training diverged (pes: training costs became "
                + "non-finite"), skipped.out());
        assertTrue(convRows.stream().noneMatch(l -> l.contains("pes-wild")), convRows.toString());
        assertTrue(Files.readString(tmp.resolve("conv/report.html")).contains("learned:pes-wild: meta-training diverged"));
        List<String> ablation = Files.readAllLines(tmp.resolve("conv/ablation.csv"));
        assertEquals(2, ablation.size(), ablation.toString());
        assertTrue(ablation.get(1).startsWith("fashion-mnist,48-48-b10,learned:pes-again,learned:pes,"),
                ablation.toString());
        String[] cells = ablation.get(1).split(",");
        assertEquals(cells[4], cells[6], "the same recipe, the same mean final value: " + ablation);
        assertEquals(0.0, Double.parseDouble(cells[8]), ablation.toString());
        assertTrue(convRows.stream().skip(1).allMatch(l -> l.startsWith("fashion-mnist,48-48-b10,")), convRows.toString());
        // a dataset whose settings were all skipped is neither run nor given a folder
        assertTrue(skipped.out().lines().anyMatch(l -> l.startsWith("mnist lenet-b64: skipped")), skipped.out());
        assertTrue(!Files.exists(tmp.resolve("conv/mnist")), "no folder for a dataset without settings to run");
        // issue 4's comparison, reusing these learned optimizers and tuned settings
        Path rvs = tmp.resolve("rvs");
        var cmp = Cli.run("experiment", "rl-vs-supervised", "--quick", "--from", out.toString(), "--out", rvs.toString());
        assertEquals(0, cmp.code(), cmp.out() + cmp.err());
        List<String> rows = Files.readAllLines(rvs.resolve("summary.csv"));
        long mnist = rows.stream().filter(l -> l.startsWith("mnist,")).count();
        assertEquals(6 * 8, mnist, "six MNIST settings of momentum, Adam, AdaGrad, the two faithful learned optimizers "
                + "and mlp-lopt trained by gps-groups, bptt and pes: " + rows);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("mnist,48-48-b64-5T,learned,learned:bptt,mlp-classifier,5,150,")),
                rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("mnist,48-48-b64-10T,learned,learned:gps-lopt,mlp-classifier,5,300,")),
                rows.toString());
        String rvsReport = Files.readString(rvs.resolve("report.html"));
        assertTrue(rvsReport.contains("bptt rank") && rvsReport.contains("pes-lopt rank"), rvsReport);
        // the three trainers of mlp-lopt stop at the shared inner-step budget (600 in the quick preset), within
        // one iteration of it, and each learned file says which trainer and policy class made it
        for (String row : List.of("gps-lopt", "bptt-lopt", "pes-lopt")) {
            var lo = org.l2o.runtime.io.LearnedOptimizerFile.read(rvs.resolve("learned-" + row + ".l2o"));
            assertEquals("mlp-lopt", lo.policyClass(), row);
            long spent = Long.parseLong(lo.provenance().budget().get("inner_steps"));
            assertTrue(spent >= 600 && spent < 1200, row + " spent " + spent);
        }
        // the growth of the loss past the training horizon, for the 2T, 5T and 10T settings
        List<String> after = Files.readAllLines(rvs.resolve("after-horizon.csv"));
        assertEquals(1 + 3 * 8, after.size(), after.toString());
        assertTrue(after.stream().anyMatch(l -> l.startsWith("mnist,48-48-b64-10T,learned:pes-lopt,learned,300,")),
                after.toString());
        var missing = Cli.run("experiment", "rl-vs-supervised", "--quick", "--from", tmp.resolve("none").toString(),
                "--out", tmp.resolve("z").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no tuned.json"), missing.err());
        var mixed = Cli.run("experiment", "li-malik-2017", "--quick", "--problems", "nn-classifier", "--out",
                tmp.resolve("y").toString());
        assertEquals(2, mixed.code());
        assertTrue(mixed.err().contains("li-malik-2016 only"), mixed.err());
    }
}
