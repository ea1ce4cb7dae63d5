package org.l2o.runtime.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.l2o.api.L2oException;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.trajectory.TrajectorySink;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.ArrowTrajectories;
import org.l2o.runtime.io.Csv;
import org.l2o.runtime.io.LearnedOptimizerFile;
import org.l2o.runtime.io.StagedOutput;
import org.l2o.runtime.report.Curves;
import org.l2o.runtime.report.Html;
import org.l2o.runtime.report.Plots;
import org.l2o.runtime.run.LearnedOptimizers;
import org.l2o.runtime.run.MetaTrainingJob;
import org.l2o.runtime.run.OptimizerSpec;
import org.l2o.runtime.run.RunResult;
import org.l2o.runtime.run.Runs;
import org.l2o.runtime.run.Summary;
import org.l2o.runtime.run.Tuning;

/**
 * The experiment of Li and Malik 2017 (meta-training, the results): meta-train once on a 48-48-10 net
 * on MNIST randomly projected to 48 dimensions (horizon T, minibatch 64) with coordinate-group GPS
 * and with supervised BPTT (the paper's L2LBGDBGD baseline); tune the seven hand-designed
 * optimizers on the same objective for the same summed loss; then run everything on nets for
 * other datasets in the paper's five settings (48/48 and 100/200 hidden, minibatch 64 and 10, and
 * twice the horizon), each over several seeds, with plots, a summary and a results grid.
 */
public final class LiMalik2017 {

    /** One meta-test setting: projected inputs, hidden units, minibatch and horizon (in training horizons). */
    public record Cell(String name, int inputs, int hidden, int batch, int horizons) {
    }

    /** A meta-test setting on one dataset. */
    public record Target(String dataset, Cell cell) {
    }

    /**
     * Sizes of a run.
     *
     * @param steps        training horizon T
     * @param tuneSeeds    training runs per grid point
     * @param testSeeds    seeds per optimizer and cell
     * @param trainEval    samples of the training objective's true loss (0: all)
     * @param testEval     samples of the meta-test objectives' true loss (0: all)
     * @param optimizers   hand-designed optimizers to tune and compare
     * @param grids        per optimizer, the tuning grid
     * @param gps          parameters of the gps-groups trainer
     * @param gpsPolicy    parameters of its lstm-coordinatewise policy
     * @param conditions   training conditions (starting points of the one training objective)
     * @param bptt         parameters of the bptt trainer, or null to skip it
     * @param bpttPolicy   parameters of the bptt trainer's lstm-coordinatewise policy
     * @param targets      meta-test datasets and settings (datasets absent from the data directory are skipped)
     * @param title        the report's title
     */
    public record Settings(int steps, int tuneSeeds, int testSeeds, int trainEval, int testEval, List<String> optimizers,
                           Map<String, List<String>> grids, Map<String, String> gps, Map<String, String> gpsPolicy,
                           int conditions, Map<String, String> bptt, Map<String, String> bpttPolicy,
                           List<Target> targets, String title) {

        /** Settings read from a preset and a user's overrides (see {@link SettingsFile}). */
        public static Settings of(SettingsFile f) {
            List<Target> targets = new ArrayList<>();
            for (SettingsFile t : f.objects("targets")) {
                targets.add(new Target(t.text("dataset"), new Cell(t.text("cell"), t.positive("inputs"),
                        t.positive("hidden"), t.positive("batch"), t.positive("horizons"))));
            }
            Settings s = new Settings(f.positive("steps"), f.positive("tuneSeeds"), f.positive("testSeeds"),
                    f.integer("trainEval"), f.integer("testEval"), f.texts("optimizers"), f.lists("grids"),
                    f.strings("gps"), f.strings("gpsPolicy"), f.positive("conditions"), f.strings("bptt"),
                    f.strings("bpttPolicy"), List.copyOf(targets), f.text("title"));
            for (String o : s.optimizers()) {
                if (!s.grids().containsKey(o)) {
                    throw new org.l2o.api.ConfigurationException("settings: optimizer '" + o + "' has no tuning grid in "
                            + "'grids'");
                }
            }
            if (s.gps() == null || s.gpsPolicy() == null) {
                throw new org.l2o.api.ConfigurationException("settings: 'gps' and 'gpsPolicy' must be objects");
            }
            return s;
        }

        /** The paper's setting (T = 400, all five cells, 5 seeds): preset {@code li-malik-2017.json}. */
        public static Settings full() {
            return of(SettingsFile.of("li-malik-2017", Optional.empty()));
        }

        /** A check of every stage in about a minute (CI): preset {@code li-malik-2017-quick.json}. */
        public static Settings quick() {
            return of(SettingsFile.of("li-malik-2017-quick", Optional.empty()));
        }

        /** The new user's first run (preset {@code demo.json}): GPS against tuned Adam and momentum on Fashion-MNIST. */
        public static Settings demo() {
            return of(SettingsFile.of("demo", Optional.empty()));
        }
    }

    private final PluginRegistry registry;
    /** Runs the evaluation and tuning rollouts (on every core by default). */
    private final RolloutExecutor rollouts;
    private final Settings settings;
    private final long seed;
    private final Optional<Path> dataDirectory;
    private final Consumer<String> log;

    public LiMalik2017(PluginRegistry registry, Settings settings, long seed, Optional<Path> dataDirectory,
                       Consumer<String> log, RolloutExecutor rollouts) {
        this.rollouts = rollouts;
        this.registry = registry;
        this.settings = settings;
        this.seed = seed;
        this.dataDirectory = dataDirectory;
        this.log = log;
    }

    private CreationContext context() {
        return new CreationContext(dataDirectory, seed, rollouts);
    }

    private ObjectiveFamily family(Map<String, String> params) {
        ObjectiveProvider p = registry.objective("mlp-classifier");
        return p.create(p.configure(params), context());
    }

    static Map<String, String> objectiveParameters(String dataset, int inputs, int hidden, int batch, int eval) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("project", Integer.toString(inputs));
        m.put("hidden", Integer.toString(hidden));
        m.put("batch", Integer.toString(batch));
        m.put("eval-samples", Integer.toString(eval));
        return m;
    }

    /** Runs everything and writes into {@code dir}; returns the summary rows. */
    public List<List<String>> run(Path dir, String commandLine) throws IOException {
        return run(dir, commandLine, Optional.empty());
    }

    /**
     * Runs everything and writes into {@code dir}; with {@code from}, takes the tuned settings and
     * both learned optimizers from an earlier run's folder instead of tuning and meta-training.
     */
    public List<List<String>> run(Path dir, String commandLine, Optional<Path> from) throws IOException {
        return run(dir, commandLine, from, List.of());
    }

    /**
     * As {@link #run(Path, String, Optional)}, on the meta-test datasets in {@code datasets} only
     * (all when empty). With {@code from}, a dataset whose folder in {@code dir} already holds the
     * trajectories of every setting for the same optimizers is read back rather than run again, so
     * an interrupted evaluation continues where it stopped.
     */
    public List<List<String>> run(Path dir, String commandLine, Optional<Path> from, List<String> datasets)
            throws IOException {
        for (String d : datasets) {
            if (settings.targets().stream().noneMatch(t -> t.dataset().equals(d))) {
                throw new org.l2o.api.ConfigurationException("--datasets: '" + d + "' is not a meta-test dataset of "
                        + "this experiment (" + String.join(", ", settings.targets().stream().map(Target::dataset)
                        .distinct().toList()) + ")");
            }
        }
        long began = System.nanoTime();
        Files.createDirectories(dir);
        int horizon = settings.steps();
        Map<String, String> trainParams = objectiveParameters("mnist", 48, 48, 64, settings.trainEval());
        Html html = new Html(settings.title());
        html.code(commandLine);
        Trained trained = from.isPresent() ? reuse(from.get(), dir) : train(dir, trainParams, horizon);
        List<OptimizerSpec> tuned = trained.tuned();
        MetaTrainingResult gps = trained.gps();
        MetaTrainingResult bptt = trained.bptt();
        List<String> names = new ArrayList<>(tuned.stream().map(OptimizerSpec::text).toList());
        List<UpdateRule> rules = new ArrayList<>();
        for (OptimizerSpec s : tuned) {
            rules.add(s.create(registry, context()));
        }
        names.add("learned:gps");
        rules.add(LearnedOptimizers.rule("learned:gps", gps.optimizer(), registry, context()));
        if (bptt != null) {
            names.add("learned:bptt");
            rules.add(LearnedOptimizers.rule("learned:bptt", bptt.optimizer(), registry, context()));
        }
        if (from.isPresent()) {
            html.heading("Meta-training").paragraph("Tuned settings and learned optimizers from " + from.get()
                    + " (tuned.json, learned-gps.l2o, learned-bptt.l2o): " + names + ".");
        } else {
            html.heading("Meta-training").paragraph("Training objective: mlp-classifier " + trainParams + ", horizon "
                    + horizon + ". Hand-designed optimizers tuned for the summed true loss over " + settings.tuneSeeds()
                    + " runs (tuned.json).")
                    .table(List.of("optimizer", "tuned setting", "mean summed loss"), trained.tuneRows())
                    .table(List.of("GPS iteration", "sample cost", "policy cost", "validation cost", "KL per step",
                            "regression error", "seconds"), history(gps, "sample_cost", "policy_cost",
                            "validation_cost", "kl", "regression_loss", "seconds"));
            if (bptt != null) {
                html.table(List.of("BPTT iteration", "training loss per step", "validation cost", "seconds"),
                        history(bptt, "train_loss", "validation_cost", "seconds"));
            }
        }
        // what each learned optimizer was trained on and with, from its own provenance
        Map<String, String> provenance = new java.util.TreeMap<>();
        for (MetaTrainingResult r : bptt == null ? List.of(gps) : List.of(gps, bptt)) {
            var p = r.optimizer().provenance();
            p.environment().forEach((k, v) -> {
                if (k.startsWith("data.")) {
                    provenance.put(p.trainer() + " " + k, v);
                }
            });
        }
        html.keyValues("Training data of the learned optimizers", provenance);
        return evaluate(dir, html, names, rules, horizon, began, datasets, from.isPresent());
    }

    /** Tuned hand-designed optimizers and the learned optimizers (bptt may be null). */
    private record Trained(List<OptimizerSpec> tuned, List<List<String>> tuneRows, MetaTrainingResult gps,
                           MetaTrainingResult bptt) {
    }

    /** The tuned settings and learned optimizers of an earlier run, copied into {@code dir}. */
    private Trained reuse(Path from, Path dir) throws IOException {
        Path tunedFile = from.resolve("tuned.json");
        if (!Files.isRegularFile(tunedFile)) {
            throw new org.l2o.api.ConfigurationException("--from " + from + ": no tuned.json (expected the folder of a "
                    + "li-malik-2017 run)");
        }
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new ObjectMapper().readTree(tunedFile.toFile());
        } catch (IOException e) {
            throw new org.l2o.api.DataFormatException(tunedFile + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (root.path("horizon").asInt(-1) != settings.steps()) {
            throw new org.l2o.api.DataFormatException(tunedFile + ": horizon " + root.path("horizon")
                    + " differs from this experiment's " + settings.steps() + " (--quick must match)");
        }
        List<OptimizerSpec> tuned = new ArrayList<>();
        for (String id : settings.optimizers()) {
            String spec = root.path("tuned").path(id).path("spec").asText(null);
            if (spec == null) {
                throw new org.l2o.api.DataFormatException(tunedFile + ": no tuned setting for '" + id + "'");
            }
            tuned.add(OptimizerSpec.parse(spec));
        }
        for (String f : List.of("tuned.json", "learned-gps.l2o", "learned-bptt.l2o")) {
            Path source = from.resolve(f);
            Path target = dir.resolve(f);
            if (Files.isRegularFile(source) && !(Files.exists(target) && Files.isSameFile(source, target))) {
                Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        MetaTrainingResult gps = new MetaTrainingResult(LearnedOptimizerFile.read(from.resolve("learned-gps.l2o")),
                List.of());
        MetaTrainingResult bptt = null;
        if (settings.bptt() != null) {
            bptt = new MetaTrainingResult(LearnedOptimizerFile.read(from.resolve("learned-bptt.l2o")), List.of());
        }
        log.accept("reusing " + tuned.stream().map(OptimizerSpec::text).toList() + " and the learned optimizers of "
                + from);
        return new Trained(tuned, List.of(), gps, bptt);
    }

    private Trained train(Path dir, Map<String, String> trainParams, int horizon) throws IOException {
        ObjectiveFamily training = family(trainParams);
        // Tune the hand-designed optimizers on the training objective for the meta-loss (summed values).
        List<OptimizerSpec> tuned = new ArrayList<>();
        List<List<String>> tuneRows = new ArrayList<>();
        ObjectNode tunedJson = new ObjectMapper().createObjectNode();
        tunedJson.put("objective", "mlp-classifier");
        ObjectNode op = tunedJson.putObject("objective_parameters");
        trainParams.forEach(op::put);
        tunedJson.put("horizon", horizon);
        tunedJson.put("tuning_runs", settings.tuneSeeds());
        ObjectNode best = tunedJson.putObject("tuned");
        OptimizerSpec sgd = null;
        List<String> toTune = new ArrayList<>(settings.optimizers());
        if (!toTune.contains("sgd")) {
            toTune.add(0, "sgd"); // its step size starts the GPS controllers
        }
        for (String id : toTune) {
            long t0 = System.nanoTime();
            Tuning.Result r = Tuning.run(registry, context(), training,
                    Tuning.specs(OptimizerSpec.parse(id), settings.grids().get(id)), settings.tuneSeeds(), horizon, seed,
                    false, (x, d, t) -> { }, rollouts);
            OptimizerSpec winner = r.winner().map(Tuning.Point::spec).orElse(OptimizerSpec.parse(id));
            String score = r.winner().map(w -> String.format(Locale.ROOT, "%.6g", w.score())).orElse("all diverged");
            if (id.equals("sgd")) {
                sgd = winner;
            }
            if (settings.optimizers().contains(id)) {
                tuned.add(winner);
                tuneRows.add(List.of(id, winner.text(), score));
                ObjectNode entry = best.putObject(id);
                entry.put("spec", winner.text());
                entry.put("mean_auc", r.winner().map(Tuning.Point::score).orElse(Double.NaN));
            }
            log.accept(String.format(Locale.ROOT, "tuned %s: %s (mean summed loss %s over %d runs of %d steps, %.0f s)",
                    id, winner.text(), score, settings.tuneSeeds(), horizon, (System.nanoTime() - t0) / 1e9));
        }
        StagedOutput.writeAtomically(dir.resolve("tuned.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(tunedJson));

        // Meta-train with coordinate-group GPS, its controllers starting at tuned SGD's step size.
        Map<String, String> gpsParams = new java.util.TreeMap<>(settings.gps());
        gpsParams.putIfAbsent("init-lr", sgd.parameters().getOrDefault("lr", "0.1"));
        log.accept("meta-training with gps-groups on MNIST 48-48-10 (" + settings.conditions() + " conditions, horizon "
                + horizon + ", " + gpsParams + ")");
        MetaTrainingResult gps = train("gps-groups", gpsParams, settings.gpsPolicy(), "lm2017", training, trainParams);
        LearnedOptimizerFile.write(dir.resolve("learned-gps.l2o"), gps.optimizer());
        MetaTrainingResult bptt = null;
        if (settings.bptt() != null) {
            log.accept("meta-training with bptt on the same objective, horizon and minibatch ("
                    + new java.util.TreeMap<>(settings.bptt()) + ")");
            bptt = train("bptt", settings.bptt(), settings.bpttPolicy(), "lm2016", training, trainParams);
            LearnedOptimizerFile.write(dir.resolve("learned-bptt.l2o"), bptt.optimizer());
        }

        return new Trained(tuned, tuneRows, gps, bptt);
    }

    /**
     * Runs every target on the datasets in {@code only} (all when empty) and writes the summary and
     * report; with {@code readBack}, a dataset whose folder is already complete is read back instead.
     */
    private List<List<String>> evaluate(Path dir, Html html, List<String> names, List<UpdateRule> rules, int horizon,
                                        long began, List<String> only, boolean readBack) throws IOException {
        List<String> header = new ArrayList<>(List.of("dataset", "setting"));
        header.addAll(Summary.COLUMNS);
        List<List<String>> all = new ArrayList<>();
        List<String> datasets = settings.targets().stream().map(Target::dataset).distinct().toList();
        List<String> cellNames = settings.targets().stream().map(t -> t.cell().name()).distinct().toList();
        List<String> gridHeader = new ArrayList<>(List.of("dataset"));
        gridHeader.addAll(cellNames);
        List<List<String>> grid = new ArrayList<>();
        for (String dataset : datasets) {
            if (!only.isEmpty() && !only.contains(dataset)) {
                continue;
            }
            // A finished folder needs no data, so it is looked for before the dataset is loaded.
            Optional<Map<String, List<RunResult>>> done = readBack
                    ? finished(dir.resolve(dataset), dataset, names, horizon) : Optional.empty();
            Optional<String> missing = done.isPresent() ? Optional.empty() : unavailable(dataset);
            if (missing.isPresent()) {
                log.accept(dataset + ": skipped (" + missing.get() + ")");
                continue;
            }
            List<String> gridRow = new ArrayList<>(List.of(dataset));
            html.heading(dataset);
            if (done.isPresent()) {
                log.accept(dataset + ": every setting already in " + dir.resolve(dataset) + ", read back");
                for (String cellName : cellNames) {
                    List<RunResult> runs = done.get().get(cellName);
                    if (runs == null) {
                        gridRow.add("");
                    } else {
                        addCell(dataset, cellName, runs, all, gridRow, html);
                    }
                }
                grid.add(gridRow);
                continue;
            }
            try (StagedOutput staged = StagedOutput.open(dir.resolve(dataset))) {
                for (String cellName : cellNames) {
                    Optional<Cell> found = settings.targets().stream().filter(t -> t.dataset().equals(dataset)
                            && t.cell().name().equals(cellName)).map(Target::cell).findFirst();
                    if (found.isEmpty()) {
                        gridRow.add("");
                        continue;
                    }
                    Cell cell = found.get();
                    int steps = horizon * cell.horizons();
                    long t0 = System.nanoTime();
                    ObjectiveFamily family = family(objectiveParameters(dataset, cell.inputs(), cell.hidden(),
                            cell.batch(), settings.testEval()));
                    List<RunResult> runs;
                    try (TrajectorySink sink = ArrowTrajectories.writer(staged.dir().resolve(cell.name() + ".arrow"))) {
                        runs = Runs.run(family, Runs.Split.TEST, seed, names, rules, settings.testSeeds(), steps,
                                Optional.empty(), sink, (r, d, t) -> { }, rollouts);
                    }
                    Plots.lossCurves(Curves.of(runs), dataset + ", " + cell.name() + ": true objective, mean and range "
                            + "over " + settings.testSeeds() + " seeds", staged.dir().resolve(cell.name()));
                    addCell(dataset, cell.name(), runs, all, gridRow, html);
                    log.accept(String.format(Locale.ROOT, "%s %s (%d steps): %s (%.0f s)", dataset, cell.name(), steps,
                            gridRow.get(gridRow.size() - 1), (System.nanoTime() - t0) / 1e9));
                }
                staged.commit();
            }
            grid.add(gridRow);
        }
        StagedOutput.writeAtomically(dir.resolve("summary.csv"), Csv.bytes(header, all));
        html.heading("Results grid").paragraph("Per dataset and setting: the optimizer with the lowest mean final true "
                + "objective (runs that diverged rank last), the rank of each learned optimizer among all (1 = lowest) "
                + "and its diverged runs. Settings: inputs-hidden units, minibatch b, kT = k times the training horizon. "
                + "A run diverged when its final value is non-finite or above its start.").table(gridHeader, grid)
                .table(header, all);
        double seconds = (System.nanoTime() - began) / 1e9;
        html.heading("Run").paragraph(String.format(Locale.ROOT, "Wall time %.1f minutes on %d cores.", seconds / 60,
                Runtime.getRuntime().availableProcessors()));
        StagedOutput.writeAtomically(dir.resolve("report.html"), html.render().getBytes(StandardCharsets.UTF_8));
        return all;
    }

    /** One setting's summary rows, results-grid cell and plot in the report. */
    private static void addCell(String dataset, String cellName, List<RunResult> runs, List<List<String>> all,
                                List<String> gridRow, Html html) {
        List<Summary> summaries = Summary.of(runs);
        for (Summary s : summaries) {
            List<String> row = new ArrayList<>(List.of(dataset, cellName));
            row.addAll(s.cells());
            all.add(row);
        }
        gridRow.add(gridCell(summaries));
        html.image(dataset + "/" + cellName + ".png", dataset + " " + cellName);
    }

    /**
     * The runs of every setting of {@code dataset} read back from {@code folder}, when it holds each
     * setting's trajectories for exactly the optimizers {@code names}; empty otherwise.
     */
    private Optional<Map<String, List<RunResult>>> finished(Path folder, String dataset, List<String> names,
                                                             int horizon) {
        Map<String, List<RunResult>> out = new LinkedHashMap<>();
        for (Target t : settings.targets()) {
            if (!t.dataset().equals(dataset)) {
                continue;
            }
            Path arrow = folder.resolve(t.cell().name() + ".arrow");
            if (!Files.isRegularFile(arrow)) {
                return Optional.empty();
            }
            List<RunResult> runs = RunResult.fromRecords(ArrowTrajectories.read(arrow), horizon * t.cell().horizons());
            List<String> found = runs.stream().map(RunResult::optimizer).distinct().toList();
            if (!found.equals(names) || runs.size() != names.size() * settings.testSeeds()) {
                return Optional.empty();
            }
            out.put(t.cell().name(), runs);
        }
        return Optional.of(out);
    }

    /** "lowest: NAME; gps r/k (d diverged); bptt r/k (d diverged)" for one cell. */
    static String gridCell(List<Summary> summaries) {
        List<Summary> sorted = new ArrayList<>(summaries);
        sorted.sort(java.util.Comparator.comparingDouble(s -> Double.isFinite(s.meanFinalValue()) && s.divergedRuns() == 0
                ? s.meanFinalValue() : Double.POSITIVE_INFINITY));
        StringBuilder b = new StringBuilder("lowest: " + sorted.get(0).optimizer());
        for (String learned : List.of("learned:gps", "learned:bptt")) {
            for (int i = 0; i < sorted.size(); i++) {
                Summary s = sorted.get(i);
                if (s.optimizer().equals(learned)) {
                    b.append("; ").append(learned.substring(8)).append(" rank ").append(i + 1).append('/')
                            .append(sorted.size());
                    if (s.divergedRuns() > 0) {
                        b.append(" (").append(s.divergedRuns()).append('/').append(s.seeds()).append(" diverged)");
                    }
                }
            }
        }
        return b.toString();
    }

    /**
     * Why a meta-test dataset cannot be loaded, or empty when it can. Only the datasets l2o does not
     * embed may be absent; the message says what was wrong (a missing folder or a corrupt file).
     */
    private Optional<String> unavailable(String dataset) {
        try {
            family(objectiveParameters(dataset, 48, 48, 64, 100));
            return Optional.empty();
        } catch (L2oException e) {
            if (!dataset.equals("cifar-100") && !dataset.equals("fer2013") && !dataset.equals("cifar-10")) {
                throw e;
            }
            return Optional.of(e.getMessage());
        }
    }

    private static List<List<String>> history(MetaTrainingResult r, String... keys) {
        List<List<String>> rows = new ArrayList<>();
        int it = 0;
        for (Map<String, Double> m : r.history()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(++it)));
            for (String k : keys) {
                Double v = m.get(k);
                row.add(v == null ? "" : String.format(Locale.ROOT, "%.6g", v));
            }
            rows.add(row);
        }
        return rows;
    }

    private MetaTrainingResult train(String trainer, Map<String, String> params, Map<String, String> policyParams,
                                     String featureMap, ObjectiveFamily family, Map<String, String> objectiveParams) {
        int objectives = trainer.equals("bptt") ? 1 : settings.conditions();
        MetaTrainingJob job = MetaTrainingJob.builder(registry).trainer(trainer, params)
                .policy("lstm-coordinatewise", policyParams).features(featureMap)
                .objective("mlp-classifier", objectiveParams).trainObjectives(objectives).steps(settings.steps())
                .seed(seed).context(context()).build();
        return job.run(family, new MetaTrainingListener() {
            @Override
            public void iteration(int iteration, int iterations, Map<String, Double> m) {
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %s iteration %d/%d:", trainer,
                        iteration + 1, iterations));
                for (String k : List.of("sample_cost", "policy_cost", "train_loss", "validation_cost", "regression_loss",
                        "seconds")) {
                    if (m.containsKey(k)) {
                        b.append(String.format(Locale.ROOT, " %s=%.5g", k, m.get(k)));
                    }
                }
                log.accept(b.toString());
            }

            @Override
            public void message(String text) {
                log.accept("  " + text);
            }
        });
    }
}
