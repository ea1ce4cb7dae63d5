package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.runtime.io.ArrowTrajectories;
import org.l2o.runtime.io.LearnedOptimizerFile;

class TrainCommandTest {

    @TempDir
    Path tmp;

    static String[] train(Path out, int iterations, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--trainer", "gps", "--objective",
                "logistic-regression", "--train-objectives", "3", "--steps", "6", "--samples", "3", "--iterations",
                Integer.toString(iterations), "--policy", "mlp:hidden=6", "--trainer-param", "policy-iterations-first=100",
                "--trainer-param", "policy-iterations=20", "--trainer-param", "validation-objectives=2", "--seed", "3",
                "--quiet", "--out", out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void trainWritesAFileThatEvaluateRuns() throws IOException {
        Path model = tmp.resolve("m/lr.l2o");
        var r = Cli.run(train(model, 2));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(model) && Files.exists(Path.of(model + ".checkpoint")));
        try (Stream<Path> s = Files.list(Path.of(model + ".samples"))) {
            assertEquals(List.of("iteration-0000.arrow", "iteration-0001.arrow"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        LearnedOptimizer lo = LearnedOptimizerFile.read(model);
        assertEquals("mlp", lo.policyClass());
        assertEquals("lm2016", lo.featureMap());
        assertEquals("gps", lo.provenance().trainer());
        assertEquals("logistic-regression", lo.provenance().objective());
        assertEquals(3, lo.provenance().trainObjectives());
        assertEquals("2", lo.provenance().trainerParameters().get("iterations"));
        // provenance that can explain a result: the numerical environment it was trained in
        var env = lo.provenance().environment();
        assertEquals(System.getProperty("os.arch"), env.get("arch"), env.toString());
        assertTrue(env.containsKey("nd4j.backend") && env.containsKey("simd") && env.containsKey("blas.coretype"),
                env.toString());
        // and what it cost, through the file: GPS's samples and policy runs of its 2 iterations
        var budget = lo.provenance().budget();
        assertEquals("2", budget.get("iterations"), budget.toString());
        assertTrue(Long.parseLong(budget.get("inner_steps")) > 0 && Double.parseDouble(budget.get("seconds")) > 0,
                budget.toString());

        Path out = tmp.resolve("eval");
        var e = Cli.run("evaluate", "--objective", "logistic-regression", "--optimizer", "learned:" + model,
                "--optimizer", "sgd:lr=1", "--steps", "20", "--seeds", "2", "--quiet", "--out", out.toString());
        assertEquals(0, e.code(), e.err());
        List<TrajectoryRecord> rows = ArrowTrajectories.read(out.resolve("trajectories.arrow"));
        // sgd's two runs are complete; the learned optimizer's runs exist (a toy meta-training may diverge:
        // a diverged run stops at its first non-finite value)
        assertEquals(2 * 21, rows.stream().filter(t -> t.optimizer().equals("sgd:lr=1")).count());
        assertTrue(rows.stream().filter(t -> t.optimizer().startsWith("learned:") && t.step() == 0).count() == 2);

        // a learned optimizer for 4 parameters refuses a 12-parameter objective, before any output
        var wrong = Cli.run("evaluate", "--objective", "nn-classifier", "--optimizer", "learned:" + model,
                "--steps", "5", "--quiet", "--out", tmp.resolve("wrong").toString());
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("features for 12 parameters"), wrong.err());
        assertTrue(!Files.exists(tmp.resolve("wrong")));
    }

    @Test
    void resumeContinuesAndRefusesAnotherCommandsCheckpoint() throws IOException {
        Path model = tmp.resolve("r.l2o");
        var first = Cli.run(train(model, 1));
        assertEquals(0, first.code(), first.err());
        var resumed = Cli.run(train(model, 2, "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        Path straight = tmp.resolve("s.l2o");
        assertEquals(0, Cli.run(train(straight, 2)).code());
        // same final weights as an uninterrupted run
        assertEquals(LearnedOptimizerFile.read(straight).weights().get("parameters"),
                LearnedOptimizerFile.read(model).weights().get("parameters"));
        String[] other = train(model, 2, "--resume");
        other[java.util.Arrays.asList(other).indexOf("--seed") + 1] = "4";
        var refused = Cli.run(other);
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("seed"), refused.err());
    }

    @Test
    void aValidationObjectiveScoresTheCandidatesAndIsPartOfTheCommand() throws IOException {
        // logistic regression's candidates scored on logistic regressions with more data points: another
        // validation cost, recorded in the provenance, and a checkpoint that only the same choice resumes
        Path plain = tmp.resolve("plain.l2o");
        Path model = tmp.resolve("v.l2o");
        var a = Cli.run(train(plain, 1, "--no-samples"));
        assertEquals(0, a.code(), a.err());
        String[] validated = train(model, 1, "--no-samples", "--validation-objective", "logistic-regression",
                "--validation-param", "points=200");
        var v = Cli.run(validated);
        assertEquals(0, v.code(), v.err());
        var env = LearnedOptimizerFile.read(model).provenance().environment();
        assertEquals("logistic-regression {points=200}", env.get("validation.objective"), env.toString());
        assertEquals(null, LearnedOptimizerFile.read(plain).provenance().environment().get("validation.objective"));

        var resumed = Cli.run(append(train(model, 2, "--no-samples", "--validation-objective", "logistic-regression",
                "--validation-param", "points=200"), "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        var other = Cli.run(append(train(model, 2, "--no-samples", "--validation-objective", "logistic-regression",
                "--validation-param", "points=300"), "--resume"));
        assertEquals(2, other.code());
        assertTrue(other.err().contains("validationObjectiveParameters"), other.err());
        var none = Cli.run(train(model, 2, "--no-samples", "--resume"));
        assertEquals(2, none.code());
        assertTrue(none.err().contains("validationObjective") && none.err().contains("validates on the training family"),
                none.err());
        var orphan = Cli.run(train(tmp.resolve("o.l2o"), 1, "--validation-param", "points=200"));
        assertEquals(2, orphan.code());
        assertTrue(orphan.err().contains("--validation-param needs --validation-objective"), orphan.err());
        var unknown = Cli.run(train(tmp.resolve("u.l2o"), 1, "--validation-objective", "no-such-objective"));
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no-such-objective"), unknown.err());
    }

    /** Rewrites the checkpoint as if the policy plugin had not had parameter {@code name} when it was written. */
    private static void dropPolicyParameter(Path checkpoint, String name) throws IOException {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode meta;
        byte[] state;
        try (var zip = new java.util.zip.ZipFile(checkpoint.toFile())) {
            meta = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                    zip.getInputStream(zip.getEntry("checkpoint.json")));
            state = zip.getInputStream(zip.getEntry("state.bin")).readAllBytes();
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) meta.get("policyParameters")).remove(name);
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(checkpoint))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("checkpoint.json"));
            zip.write(json.writeValueAsBytes(meta));
            zip.closeEntry();
            zip.putNextEntry(new java.util.zip.ZipEntry("state.bin"));
            zip.write(state);
            zip.closeEntry();
        }
    }

    @Test
    void resumeAcceptsACheckpointFromBeforeAParameterExistedOnlyAtItsDefault() throws IOException {
        Path model = tmp.resolve("old.l2o");
        assertEquals(0, Cli.run(train(model, 1)).code());
        Path checkpoint = Path.of(model + ".checkpoint");
        dropPolicyParameter(checkpoint, "activation"); // sorts first: the default goes back in its place
        var resumed = Cli.run(train(model, 2, "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        dropPolicyParameter(checkpoint, "zero-centred");
        String[] changed = train(model, 3, "--resume");
        changed[java.util.Arrays.asList(changed).indexOf("mlp:hidden=6")] = "mlp:hidden=6,zero-centred=false";
        var refused = Cli.run(changed);
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("zero-centred"), refused.err());
    }

    @Test
    void bpttTrainsACoordinatewiseOptimizerThatRunsOnOtherDimensions() throws IOException {
        Path model = tmp.resolve("lstm.l2o");
        var r = Cli.run("train", "--trainer", "bptt", "--objective", "quadratic", "--param", "dimension=4",
                "--train-objectives", "5", "--steps", "10", "--iterations", "2", "--trainer-param",
                "epochs-per-iteration=3", "--trainer-param", "unroll=5", "--trainer-param", "validation-objectives=2",
                "--policy", "lstm-coordinatewise:layers=6", "--quiet", "--no-samples", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        LearnedOptimizer lo = LearnedOptimizerFile.read(model);
        assertEquals("lstm-coordinatewise", lo.policyClass());
        assertEquals("bptt", lo.provenance().trainer());
        // coordinatewise: trained on 4 parameters, runs on 30
        Path out = tmp.resolve("other");
        var e = Cli.run("evaluate", "--objective", "quadratic", "--param", "dimension=30", "--optimizer",
                "learned:" + model, "--steps", "10", "--quiet", "--out", out.toString());
        assertEquals(0, e.code(), e.err());
        var wrong = Cli.run("train", "--trainer", "bptt", "--objective", "quadratic", "--policy", "mlp", "--quiet",
                "--out", tmp.resolve("w.l2o").toString());
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("needs a policy that is coordinatewise"), wrong.err());
    }

    @Test
    void bpttResumeMayLowerTheMetaStepSizeButNotChangeTheUnroll() throws IOException {
        Path model = tmp.resolve("resume-lr.l2o");
        java.util.function.BiFunction<Integer, String, String[]> bptt = (iterations, extra) -> new String[] {
            "train", "--trainer", "bptt", "--objective", "quadratic", "--param", "dimension=4",
            "--train-objectives", "5", "--steps", "10", "--iterations", iterations.toString(),
            "--trainer-param", "epochs-per-iteration=2", "--trainer-param", "validation-objectives=0",
            "--trainer-param", extra, "--policy", "lstm-coordinatewise:layers=6", "--no-samples",
            "--out", model.toString()};
        assertEquals(0, Cli.run(bptt.apply(1, "lr=0.001")).code());
        Path checkpoint = Path.of(model + ".checkpoint");
        byte[] first = Files.readAllBytes(checkpoint);
        var resumed = Cli.run(append(bptt.apply(2, "lr=0.0001"), "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming with lr = 1.0E-4 (the checkpoint had 0.001)"), resumed.out());
        assertEquals(List.of("resumed after iteration 1 with lr 0.001 -> 1.0E-4"),
                LearnedOptimizerFile.read(model).provenance().history());
        assertEquals(0, Cli.run(append(bptt.apply(3, "lr=0.0001"), "--resume")).code());
        assertEquals(List.of("resumed after iteration 1 with lr 0.001 -> 1.0E-4"),
                LearnedOptimizerFile.read(model).provenance().history(), "an unchanged resume adds nothing");
        assertEquals(0, Cli.run(append(bptt.apply(4, "lr=0.001"), "--resume")).code());
        assertEquals(List.of("resumed after iteration 1 with lr 0.001 -> 1.0E-4",
                "resumed after iteration 3 with lr 1.0E-4 -> 0.001"), LearnedOptimizerFile.read(model).provenance().history());
        Files.write(checkpoint, first);
        assertEquals(0, Cli.run(append(bptt.apply(2, "lr=0.0001"), "--resume")).code());
        double[] slow = LearnedOptimizerFile.read(model).weights().values().iterator().next().toDoubleVector();
        Files.write(checkpoint, first);
        assertEquals(0, Cli.run(append(bptt.apply(2, "lr=0.001"), "--resume")).code());
        double[] fast = LearnedOptimizerFile.read(model).weights().values().iterator().next().toDoubleVector();
        assertFalse(java.util.Arrays.equals(slow, fast), "the resumed run must use the new lr");
        Files.write(checkpoint, first);
        var refused = Cli.run(append(bptt.apply(2, "unroll=5"), "--resume"));
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("unroll"), refused.err());
    }

    /** A trainer that checkpoints once and then fails, as a run killed in its second iteration. */
    static final class FailsAfterOneIteration implements org.l2o.api.meta.MetaTrainerProvider {
        @Override
        public String id() {
            return "fails-after-one";
        }

        @Override
        public String description() {
            return "test trainer: one checkpoint, then an error";
        }

        @Override
        public List<org.l2o.api.ParameterSpec> parameters() {
            return List.of(org.l2o.api.ParameterSpec.integer("iterations", 3, "iterations").range(1, 10));
        }

        @Override
        public String defaultPolicy() {
            return "mlp";
        }

        @Override
        public String defaultFeatures() {
            return "lm2016";
        }

        @Override
        public java.util.Set<org.l2o.api.update.PolicyCapability> requiredCapabilities() {
            return java.util.Set.of();
        }

        @Override
        public org.l2o.api.meta.MetaTrainer create(org.l2o.api.Config config, org.l2o.api.CreationContext context) {
            return new org.l2o.api.meta.MetaTrainer() {
                org.l2o.api.meta.MetaTrainingRequest request;

                @Override
                public int iterations() {
                    return config.getInt("iterations");
                }

                @Override
                public org.l2o.api.meta.TrainerState start(org.l2o.api.meta.MetaTrainingRequest r,
                                                           org.l2o.api.meta.MetaTrainingListener listener) {
                    request = r;
                    return out -> { };
                }

                @Override
                public org.l2o.api.meta.TrainerState restore(org.l2o.api.meta.MetaTrainingRequest r,
                                                             org.l2o.api.meta.CheckpointReader in) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public org.l2o.api.meta.Iteration iterate(org.l2o.api.meta.TrainerState state, int iteration,
                                                          org.l2o.api.meta.MetaTrainingListener listener) {
                    if (iteration > 0) {
                        throw new IllegalStateException("killed in iteration 2");
                    }
                    var weights = Map.of("w", org.nd4j.linalg.factory.Nd4j.createFromArray(1.5, -2.5));
                    var first = new LearnedOptimizer(request.policy().id(), Map.of(), request.features().id(),
                            Map.of(), 2, 1, weights, org.l2o.api.meta.Provenance.now(id(), Map.of(), request, getClass()));
                    return new org.l2o.api.meta.Iteration(state, first, 1.0, 1.0, Map.of(), Map.of());
                }
            };
        }
    }

    @Test
    void theLearnedFileOfTheLastCheckpointSurvivesARunThatFailsLater() {
        Path model = tmp.resolve("interrupted.l2o");
        List<org.l2o.api.PluginProvider> plugins = new java.util.ArrayList<>(PluginRegistry.discover().all());
        plugins.add(new FailsAfterOneIteration());
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new String[] {"train", "--trainer", "fails-after-one", "--objective", "quadratic",
            "--param", "dimension=2", "--train-objectives", "2", "--steps", "5", "--quiet", "--no-samples",
            "--out", model.toString()}, Map.of(), new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err), PluginRegistry.of(plugins));
        assertTrue(code != 0, "the trainer failed");
        LearnedOptimizer kept = LearnedOptimizerFile.read(model);
        assertEquals("fails-after-one", kept.provenance().trainer());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1.5, -2.5},
                kept.weights().get("w").toDoubleVector(), 0.0);
        assertTrue(Files.exists(Path.of(model + ".checkpoint")));
    }

    private static String[] append(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void corruptOrMissingLearnedFilesFailWithTheirName() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.l2o"), "not a zip");
        for (String spec : List.of("learned:" + junk, "learned:" + tmp.resolve("missing.l2o"))) {
            var r = Cli.run("evaluate", "--objective", "logistic-regression", "--optimizer", spec, "--quiet", "--out",
                    tmp.resolve("o").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(spec.substring("learned:".length())), r.err());
        }
        var noCheckpoint = Cli.run(train(tmp.resolve("none.l2o"), 1, "--resume"));
        assertEquals(2, noCheckpoint.code());
        assertTrue(noCheckpoint.err().contains("no checkpoint"), noCheckpoint.err());
    }
}
