package org.l2o.runtime.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.api.trajectory.TrajectorySink;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.ArrowTrajectories;
import org.l2o.runtime.io.Csv;
import org.l2o.runtime.io.LearnedOptimizerFile;
import org.l2o.runtime.io.StagedOutput;
import org.l2o.runtime.report.ContourPlot;
import org.l2o.runtime.report.Curves;
import org.l2o.runtime.report.Html;
import org.l2o.runtime.report.MarginOfVictory;
import org.l2o.runtime.report.Plots;
import org.l2o.runtime.report.StepTable;
import org.l2o.runtime.run.EvaluationRun;
import org.l2o.runtime.run.LearnedOptimizers;
import org.l2o.runtime.run.MetaTrainingJob;
import org.l2o.runtime.run.OptimizerSpec;
import org.l2o.runtime.run.RunResult;
import org.l2o.runtime.run.Runs;
import org.l2o.runtime.run.Summary;
import org.l2o.runtime.run.Tuning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reproduction of Li and Malik 2016 (the problem classes of the experiments, the results): for logistic regression, robust
 * linear regression and the two-layer net classifier, tune gradient descent, momentum, CG and
 * L-BFGS on the training objectives, meta-train an optimizer with GPS (trajectories of 40 steps),
 * evaluate all five on the test objectives for a longer horizon, and draw the margin of victory,
 * two example curves, and the paths of every optimizer on a 2-D logistic regression.
 */
public final class LiMalik2016 {

    /** Sizes of a run. */
    public record Settings(int testObjectives, int samples, int iterations, int policyIterationsFirst,
                           int policyIterations, int validationObjectives, int testSteps, double trainFraction,
                           int contourTrainObjectives, List<Learned> learned) {

        /** Settings read from a preset and a user's overrides (see {@link SettingsFile}). */
        public static Settings of(SettingsFile f) {
            double fraction = f.number("trainFraction");
            if (!(fraction > 0 && fraction <= 1)) {
                throw new org.l2o.api.ConfigurationException("settings: trainFraction " + fraction
                        + " must be in (0, 1]");
            }
            List<Learned> learned = new ArrayList<>();
            if (f.has("learned")) {
                for (SettingsFile l : f.objects("learned")) {
                    learned.add(Learned.of(l));
                }
            }
            return new Settings(f.positive("testObjectives"), f.positive("samples"), f.positive("iterations"),
                    f.integer("policyIterationsFirst"), f.integer("policyIterations"), f.integer("validationObjectives"),
                    f.positive("testSteps"), fraction, f.positive("contourTrainObjectives"), List.copyOf(learned));
        }

        /** The same settings with {@code value} GPS iterations. */
        public Settings withIterations(int value) {
            return new Settings(testObjectives, samples, value, policyIterationsFirst, policyIterations,
                    validationObjectives, testSteps, trainFraction, contourTrainObjectives, learned);
        }

        /** The paper's sizes (90/120/80 training and 100 test objectives, 20 samples of 40 steps). */
        public static Settings full() {
            return of(SettingsFile.of("li-malik-2016", java.util.Optional.empty()));
        }

        /** A reduced run for CI: a few objectives and iterations, short regressions. */
        public static Settings quick() {
            return of(SettingsFile.of("li-malik-2016-quick", java.util.Optional.empty()));
        }
    }

    /**
     * A learned optimizer the paper does not have, meta-trained on each problem's training objectives
     * beside its GPS row (issue 16: the modern policy class trained by gps-groups and pes), row
     * {@code learned:NAME}.
     *
     * @param nominalFrom     a hand-designed optimizer tuned on the problem whose step size becomes the
     *                        policy's {@code nominal-lr} (it is then a row too), or null
     * @param trainerLr       a trainer parameter that also takes that step size (gps-groups' {@code init-lr}), or null
     * @param trainObjectives training objectives (GPS conditions), at most the problem's; 0 for all of them
     */
    public record Learned(String name, String trainer, Map<String, String> trainerParams, String policy,
                          Map<String, String> policyParams, String features, String nominalFrom, String trainerLr,
                          int trainObjectives) {

        static Learned of(SettingsFile f) {
            String name = f.text("name");
            if (!name.matches("[a-z0-9][a-z0-9-]*") || name.equals("gps")) {
                throw new org.l2o.api.ConfigurationException("settings: learned optimizer name '" + name
                        + "', expected lower-case letters, digits and dashes other than 'gps'");
            }
            String nominal = f.has("nominalFrom") ? f.text("nominalFrom") : null;
            if (nominal != null && !GRIDS.containsKey(nominal)) {
                throw new org.l2o.api.ConfigurationException("settings: learned '" + name + "': nominalFrom '" + nominal
                        + "' has no tuning grid (known: " + String.join(", ", new java.util.TreeSet<>(GRIDS.keySet()))
                        + ")");
            }
            return new Learned(name, f.text("trainer"), f.strings("trainerParams"), f.text("policy"),
                    f.strings("policyParams"), f.text("features"), nominal,
                    f.has("trainerLr") ? f.text("trainerLr") : null,
                    f.has("trainObjectives") ? f.positive("trainObjectives") : 0);
        }
    }

    /** One problem class with its paper sizes. */
    record Problem(String id, int train) {
    }

    static final List<Problem> PROBLEMS = List.of(new Problem("logistic-regression", 90),
            new Problem("robust-regression", 120), new Problem("nn-classifier", 80));

    static final int HORIZON = 40;

    static final Map<String, List<String>> GRIDS = Map.of(
            "sgd", List.of("lr=0.01,0.03,0.1,0.3,0.5,1,2,3,5"),
            "momentum", List.of("lr=0.01,0.03,0.1,0.3,0.5,1,2,2.51,3", "momentum=0,0.3,0.5,0.7,0.9"),
            "cg", List.of("lr=0.1,1,10"),
            "lbfgs", List.of("lr=0.25,0.5,1"),
            // tuned only where a learned row takes its step size as its nominal term
            "adagrad", List.of("lr=0.01,0.03,0.1,0.3,0.5,1,2,3,5"),
            "adam", List.of("lr=0.001,0.003,0.01,0.03,0.1,0.3,1"));

    private final PluginRegistry registry;
    /** Runs the evaluation and tuning rollouts (on every core by default). */
    private final RolloutExecutor rollouts;
    private final Settings settings;
    private final long seed;
    private final Consumer<String> log;

    public LiMalik2016(PluginRegistry registry, Settings settings, long seed, Consumer<String> log,
                       RolloutExecutor rollouts) {
        this.rollouts = rollouts;
        this.registry = registry;
        this.settings = settings;
        this.seed = seed;
        this.log = log;
    }

    /** Names of the problems, in the order they run. */
    public static final List<String> PROBLEM_IDS = PROBLEMS.stream().map(Problem::id).toList();

    /**
     * Runs the chosen problems (and the 2-D contour when {@code contour}), writing into {@code dir}.
     * Each problem's folder is staged and moved in when that problem is complete, so a long run that
     * fails later keeps the problems it finished; the top-level summary and report come last. Every
     * meta-training is checkpointed in {@code dir/meta-training}, so the same command again continues
     * a run that died from the last iteration of each learned row.
     */
    public List<List<String>> run(Path dir, String commandLine, List<String> problems, boolean withContour)
            throws IOException {
        long began = System.nanoTime();
        List<List<String>> all = new ArrayList<>();
        Html html = new Html("Li & Malik 2016 reproduction (learning to optimize with GPS)");
        html.code(commandLine);
        List<String> header = new ArrayList<>(List.of("problem"));
        header.addAll(Summary.COLUMNS);
        for (Problem p : PROBLEMS) {
            if (!problems.contains(p.id())) {
                continue;
            }
            try (StagedOutput staged = StagedOutput.open(dir.resolve(p.id()))) {
                List<List<String>> rows = problem(p, staged.dir(), dir, html);
                staged.commit();
                all.addAll(rows);
            }
        }
        if (withContour) {
            contour(dir, html);
        }
        StagedOutput.writeAtomically(dir.resolve("summary.csv"), Csv.bytes(header, all));
        double seconds = (System.nanoTime() - began) / 1e9;
        html.heading("Run").paragraph(String.format("Wall time %.1f minutes on %d cores (%s).", seconds / 60,
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch")));
        StagedOutput.writeAtomically(dir.resolve("report.html"), html.render().getBytes(StandardCharsets.UTF_8));
        return all;
    }

    private ObjectiveFamily family(String id, Map<String, String> params) {
        ObjectiveProvider provider = registry.objective(id);
        return provider.create(provider.configure(params), CreationContext.defaults());
    }

    /** Where {@link #family} comes from, so a cluster's workers can rebuild it (these families need no data). */
    private static EvaluationRun.Source source(String id, Map<String, String> params) {
        return new EvaluationRun.Source(id, params, Optional.empty(), List.of());
    }

    private List<List<String>> problem(Problem p, Path dir, Path root, Html html) throws IOException {
        int train = Math.max(4, (int) Math.round(p.train() * settings.trainFraction()));
        ObjectiveFamily family = family(p.id(), Map.of());
        List<String> toTune = new ArrayList<>(List.of("sgd", "momentum", "cg", "lbfgs"));
        settings.learned().stream().map(Learned::nominalFrom).filter(n -> n != null && !toTune.contains(n)).distinct()
                .forEach(toTune::add);
        log.accept(p.id() + ": tuning " + String.join(", ", toTune) + " on " + train + " training objectives");
        List<OptimizerSpec> tuned = new ArrayList<>();
        List<List<String>> tuneRows = new ArrayList<>();
        for (String id : toTune) {
            Tuning.Result r = Tuning.run(registry, CreationContext.defaults(), family, Optional.of(source(p.id(), Map.of())),
                    Tuning.specs(OptimizerSpec.parse(id), GRIDS.get(id)), train, HORIZON, seed, false, (x, d, t) -> { },
                    rollouts);
            OptimizerSpec best = r.winner().map(Tuning.Point::spec).orElse(OptimizerSpec.parse(id));
            tuned.add(best);
            tuneRows.add(List.of(id, best.text(), r.winner().map(w -> String.format("%.6g", w.score())).orElse("all diverged")));
        }
        log.accept(p.id() + ": tuned " + tuned.stream().map(OptimizerSpec::text).toList());

        log.accept(p.id() + ": meta-training with GPS (" + train + " objectives, " + settings.samples() + " samples of "
                + HORIZON + " steps, " + settings.iterations() + " iterations)");
        MetaTrainingResult trained = trainGps(family, p.id(), Map.of(), train, training(root, p.id(), "gps"));
        Path model = dir.resolve("learned-gps.l2o");
        LearnedOptimizerFile.write(model, trained.optimizer());

        Map<String, MetaTrainingResult> others = new LinkedHashMap<>();
        for (Learned l : settings.learned()) {
            MetaTrainingResult r = trainRow(l, family, p.id(), train, tuned, training(root, p.id(), l.name()));
            LearnedOptimizerFile.write(dir.resolve("learned-" + l.name() + ".l2o"), r.optimizer());
            others.put(l.name(), r);
        }

        List<String> names = new ArrayList<>(tuned.stream().map(OptimizerSpec::text).toList());
        names.add("learned:gps");
        List<UpdateRule> rules = new ArrayList<>();
        for (OptimizerSpec s : tuned) {
            rules.add(s.create(registry, CreationContext.defaults()));
        }
        rules.add(LearnedOptimizers.rule("learned:gps", trained.optimizer(), registry, CreationContext.defaults()));
        others.forEach((name, r) -> {
            names.add("learned:" + name);
            rules.add(LearnedOptimizers.rule("learned:" + name, r.optimizer(), registry, CreationContext.defaults()));
        });
        log.accept(p.id() + ": evaluating on " + settings.testObjectives() + " test objectives for " + settings.testSteps()
                + " steps");
        // a worker gets the learned row as the file just written
        List<String> specs = new ArrayList<>(names.subList(0, tuned.size()));
        specs.add(OptimizerSpec.LEARNED + ":" + model.toAbsolutePath());
        others.keySet().forEach(name -> specs.add(OptimizerSpec.LEARNED + ":"
                + dir.resolve("learned-" + name + ".l2o").toAbsolutePath()));
        List<RunResult> runs;
        List<TrajectoryRecord> records = new ArrayList<>(); // for the per-evaluation comparison
        try (TrajectorySink file = ArrowTrajectories.writer(dir.resolve("trajectories.arrow"))) {
            TrajectorySink sink = new TrajectorySink() {
                @Override
                public void accept(TrajectoryRecord record) {
                    file.accept(record);
                    records.add(record);
                }

                @Override
                public void close() {
                }
            };
            runs = Runs.run(family, Optional.of(source(p.id(), Map.of()).withOptimizers(specs)), Runs.Split.TEST, seed,
                    names, rules, settings.testObjectives(), settings.testSteps(), Optional.empty(), sink,
                    (r, d, t) -> { }, rollouts);
        }
        // the cost-fair view: CG and L-BFGS spend several evaluations per step on their line searches
        int evaluations = settings.testSteps();
        List<Curves> byEvaluations = Curves.byEvaluations(records, runs, evaluations);
        Plots.curves(byEvaluations, p.id() + ": mean true objective over " + settings.testObjectives()
                + " test objectives vs objective evaluations", "objective evaluations", "true objective", true,
                dir.resolve("evaluations"));
        int[] budgets = java.util.stream.IntStream.of(10, 20, 40, 100, evaluations).filter(x -> x <= evaluations)
                .distinct().toArray();
        List<String> evalHeader = new ArrayList<>(List.of("optimizer"));
        for (int b : budgets) {
            evalHeader.add(b + " evaluations");
        }
        List<List<String>> evalRows = new ArrayList<>();
        for (Curves c : byEvaluations) {
            List<String> row = new ArrayList<>(List.of(c.optimizer()));
            for (int b : budgets) {
                row.add(fmt(c.mean()[b]));
            }
            evalRows.add(row);
        }
        List<List<String>> rows = new ArrayList<>();
        for (Summary s : Summary.of(runs)) {
            List<String> row = new ArrayList<>(List.of(p.id()));
            row.addAll(s.cells());
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("problem"));
        header.addAll(Summary.COLUMNS);
        Files.write(dir.resolve("summary.csv"), Csv.bytes(header, rows));
        Plots.margins(MarginOfVictory.of(runs), p.id() + ": mean margin of victory over " + settings.testObjectives()
                + " test objectives", dir.resolve("margin"));
        for (int s = 0; s < Math.min(2, settings.testObjectives()); s++) {
            final int seedIndex = s;
            Plots.lossCurves(Curves.of(runs.stream().filter(r -> r.seed() == seedIndex).toList()),
                    p.id() + ": test objective " + s, dir.resolve("example-" + s));
        }
        int[] at = java.util.stream.IntStream.of(10, 20, 40, 100, settings.testSteps())
                .filter(x -> x <= settings.testSteps()).distinct().toArray();
        List<List<String>> stepTable = StepTable.rows(runs, at, names.get(1));
        Files.write(dir.resolve("steps.csv"), Csv.bytes(stepTable.get(0), stepTable.subList(1, stepTable.size())));
        List<List<String>> training = new ArrayList<>();
        int it = 0;
        for (Map<String, Double> m : trained.history()) {
            training.add(List.of(Integer.toString(++it), fmt(m.get("sample_cost")), fmt(m.get("policy_cost")),
                    fmt(m.get("validation_cost")), fmt(m.get("kl")), fmt(m.get("step_mult")), fmt(m.get("seconds"))));
        }
        Map<String, MetaTrainingResult> learned = new LinkedHashMap<>();
        learned.put("gps", trained);
        learned.putAll(others);
        html.heading(p.id())
                .paragraph(train + " training objectives, " + settings.testObjectives() + " test objectives, "
                        + settings.testSteps() + " test steps (training horizon " + HORIZON + ").")
                .table(List.of("optimizer", "tuned setting", "mean summed cost over 40 steps (training)"), tuneRows)
                .table(List.of("GPS iteration", "sample cost", "policy cost", "validation cost", "KL per step",
                        "step multiplier", "seconds"), training)
                .table(LearnedRows.BUDGET_HEADER, LearnedRows.budgets(learned))
                .table(stepTable.get(0), stepTable.subList(1, stepTable.size()))
                .paragraph("Mean true objective at the steps shown, and the share of test objectives on which each "
                        + "optimizer is below tuned momentum there (steps.csv).")
                .paragraph("Per objective evaluation (the same runs, each optimizer charged for every evaluation, "
                        + "line-search trials included): mean true objective after the last step within the budget.")
                .image(p.id() + "/evaluations.png", "true objective vs objective evaluations")
                .table(evalHeader, evalRows)
                .image(p.id() + "/margin.png", "margin of victory")
                .image(p.id() + "/example-0.png", "example objective 0")
                .image(p.id() + "/example-1.png", "example objective 1")
                .table(header, rows);
        return rows;
    }

    /** A learned row meta-trained on the problem's first {@code train} (or its own count of) training objectives. */
    private MetaTrainingResult trainRow(Learned l, ObjectiveFamily family, String id, int train,
                                        List<OptimizerSpec> tuned, Path file) throws IOException {
        LearnedRows.Parameters tunedStep = LearnedRows.withTunedStep(l.name(), l.policyParams(), l.trainerParams(),
                l.features(), l.nominalFrom(), l.trainerLr(), tuned);
        Map<String, String> policy = tunedStep.policy();
        Map<String, String> trainer = tunedStep.trainer();
        int objectives = l.trainObjectives() > 0 ? Math.min(l.trainObjectives(), train) : train;
        log.accept(id + ": meta-training learned:" + l.name() + " with " + l.trainer() + " " + trainer + " on "
                + objectives + " training objectives, policy " + l.policy() + " " + policy);
        MetaTrainingJob job = MetaTrainingJob.builder(registry).trainer(l.trainer(), trainer).policy(l.policy(), policy)
                .features(tunedStep.features()).objective(id, Map.of()).trainObjectives(objectives).steps(HORIZON).seed(seed)
                .context(CreationContext.defaults().withRollouts(rollouts)).build();
        return run(job, family, file, new MetaTrainingListener() {
            @Override
            public void iteration(int iteration, int iterations, Map<String, Double> m) {
                Double start = m.get("start_validation_cost");
                if (start != null) { // what the candidates have to beat to be kept
                    log.accept(String.format(Locale.ROOT, "  %s %s starting optimizer: validation %.5g", id, l.name(),
                            start));
                }
                Double validation = m.get("validation_cost");
                if (validation != null && !validation.isNaN()) {
                    log.accept(String.format(Locale.ROOT, "  %s %s iteration %d/%d: validation %.5g, %.1f s", id,
                            l.name(), iteration + 1, iterations, validation, m.get("seconds")));
                }
            }
        });
    }

    private static String fmt(Double v) {
        return v == null ? "" : String.format("%.6g", v);
    }

    /** Where a problem's learned row is meta-trained: its file, written at every checkpoint, and the checkpoint beside it. */
    private static Path training(Path root, String problem, String row) {
        return root.resolve("meta-training").resolve(problem + "-" + row + ".l2o");
    }

    /** Runs a meta-training job into {@code file}, continuing from its checkpoint when one is there. */
    private MetaTrainingResult run(MetaTrainingJob job, ObjectiveFamily family, Path file, MetaTrainingListener listener)
            throws IOException {
        Files.createDirectories(file.getParent());
        boolean resume = Files.isRegularFile(MetaTrainingJob.checkpointOf(file));
        if (resume) {
            log.accept("  continuing from " + file.getParent().getFileName() + "/"
                    + MetaTrainingJob.checkpointOf(file).getFileName());
        }
        return job.run(family, file, resume, false, listener, null);
    }

    private MetaTrainingResult trainGps(ObjectiveFamily family, String id, Map<String, String> params, int train,
                                        Path file) throws IOException {
        MetaTrainingJob job = MetaTrainingJob.builder(registry).trainer("gps", Map.of(
                "iterations", Integer.toString(settings.iterations()),
                "samples", Integer.toString(settings.samples()),
                "policy-iterations-first", Integer.toString(settings.policyIterationsFirst()),
                "policy-iterations", Integer.toString(settings.policyIterations()),
                "validation-objectives", Integer.toString(settings.validationObjectives())))
                .policy("mlp", Map.of()).features("lm2016").objective(id, params).trainObjectives(train)
                .steps(HORIZON).seed(seed).context(CreationContext.defaults().withRollouts(rollouts)).build();
        return run(job, family, file, new MetaTrainingListener() {
            @Override
            public void iteration(int iteration, int iterations, Map<String, Double> m) {
                log.accept(String.format(Locale.ROOT, "  %s GPS iteration %d/%d: sample cost %.5g, policy cost %.5g,"
                        + " validation %.5g, %.0f s (sampling %.0f, dynamics %.0f, LQR %.0f, regression %.0f)", id,
                        iteration + 1, iterations, m.get("sample_cost"), m.get("policy_cost"), m.get("validation_cost"),
                        m.get("seconds"), m.getOrDefault("sampling_seconds", Double.NaN),
                        m.getOrDefault("dynamics_seconds", Double.NaN), m.getOrDefault("lqr_seconds", Double.NaN),
                        m.getOrDefault("regression_seconds", Double.NaN)));
            }
        });
    }

    /** Paths of every optimizer on one 2-D logistic regression (one feature plus bias). */
    private void contour(Path dir, Html html) throws IOException {
        Map<String, String> params = Map.of("dimension", "1");
        ObjectiveFamily family = family("logistic-regression", params);
        int train = Math.max(4, settings.contourTrainObjectives());
        log.accept("contour: tuning and meta-training on 2-D logistic regression (" + train + " objectives)");
        List<String> names = new ArrayList<>();
        List<UpdateRule> rules = new ArrayList<>();
        for (String id : List.of("sgd", "momentum", "cg", "lbfgs")) {
            Tuning.Result r = Tuning.run(registry, CreationContext.defaults(), family,
                    Optional.of(source("logistic-regression", params)), Tuning.specs(OptimizerSpec.parse(id),
                    GRIDS.get(id)), train, HORIZON, seed, false, (x, d, t) -> { }, rollouts);
            OptimizerSpec best = r.winner().map(Tuning.Point::spec).orElse(OptimizerSpec.parse(id));
            names.add(best.text());
            rules.add(best.create(registry, CreationContext.defaults()));
        }
        MetaTrainingResult trained = trainGps(family, "logistic-regression", params, train,
                training(dir, "contour", "gps"));
        LearnedOptimizerFile.write(dir.resolve("learned-gps-2d.l2o"), trained.optimizer());
        names.add("learned:gps");
        rules.add(LearnedOptimizers.rule("learned:gps", trained.optimizer(), registry, CreationContext.defaults()));
        Objective objective = family.test(seed, 0);
        INDArray start = objective.initialPoint(Seeds.generator(seed, "start-" + Runs.Split.TEST, 0));
        Map<String, double[][]> paths = new LinkedHashMap<>();
        for (int k = 0; k < rules.size(); k++) {
            List<double[]> xs = new ArrayList<>();
            Rollout.run(objective, rules.get(k), start, HORIZON, Seeds.generator(1),
                    (t, x, v, o, g, d, e) -> xs.add(x.toDoubleVector()));
            paths.put(names.get(k), xs.toArray(double[][]::new));
        }
        Path tmp = Files.createTempFile(dir, ".contour", ".png");
        ContourPlot.write(tmp, "2-D logistic regression: paths of " + HORIZON + " steps",
                (w, b) -> objective.value(Nd4j.createFromArray(w, b)), paths, "w", "b");
        Files.move(tmp, dir.resolve("contour.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        html.heading("2-D logistic regression").paragraph("One feature plus bias; every optimizer starts from the same "
                + "point. The learned optimizer was meta-trained on " + train + " such objectives.")
                .image("contour.png", "paths on a 2-D logistic regression");
    }
}
