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
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.meta.Provenance;
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
import org.l2o.runtime.run.EvaluationRun;
import org.l2o.runtime.run.LearnedOptimizers;
import org.l2o.runtime.run.MetaTrainingJob;
import org.l2o.runtime.run.OptimizerSpec;
import org.l2o.runtime.run.RunCheckpoint;
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

    /**
     * One meta-test setting: projected inputs, hidden units, minibatch and horizon (in training
     * horizons) of an {@code mlp-classifier}; or, where {@code objective} names another objective
     * plugin (a DL4J conv net through {@code dl4j-network}), that objective with
     * {@code objectiveParams}, the dataset and {@code eval} true-objective samples (0: the
     * experiment's {@code testEval}).
     */
    public record Cell(String name, int inputs, int hidden, int batch, int horizons, String objective,
                       Map<String, String> objectiveParams, int eval) {

        public Cell {
            objectiveParams = Map.copyOf(objectiveParams);
        }

        /** An {@code mlp-classifier} setting. */
        public Cell(String name, int inputs, int hidden, int batch, int horizons) {
            this(name, inputs, hidden, batch, horizons, "mlp-classifier", Map.of(), 0);
        }
    }

    /** A meta-test setting on one dataset. */
    public record Target(String dataset, Cell cell) {
    }

    /**
     * A further learned optimizer of the comparison: what trains it, on which objective family, and
     * its role in the tables ({@code learned}, or {@code schedule} for a learned step-size schedule).
     *
     * @param name            row name {@code learned:NAME} and file {@code learned-NAME.l2o}
     * @param nominalFrom     a tuned optimizer whose step size becomes the policy's {@code nominal-lr}, or null
     * @param trainObjectives training objectives of the family's stream
     * @param trainerLr       a trainer parameter that also takes the tuned step size (such as gps-groups'
     *                        {@code init-lr}, its initial controllers), or null
     * @param innerSteps      the meta-training budget in inner optimizer steps (trainers compared at equal
     *                        cost: the run stops at the iteration that reaches it), or 0 for none
     * @param ablationOf      the learned row whose recipe this one changes in one part (an ablation, compared
     *                        with it in ablation.csv), or null
     * @param validationObjective an objective family whose training stream scores the trainer's candidates
     *                        instead of held-out tasks of {@code objective} (such as the MNIST training net
     *                        where {@code objective} is a task family around it), or null
     */
    public record LearnedRow(String name, String role, String trainer, Map<String, String> trainerParams,
                             String policy, Map<String, String> policyParams, String features, String objective,
                             Map<String, String> objectiveParams, int trainObjectives, String nominalFrom,
                             String trainerLr, long innerSteps, String ablationOf, String validationObjective,
                             Map<String, String> validationObjectiveParams) {

        public LearnedRow {
            validationObjectiveParams = validationObjectiveParams == null ? Map.of()
                    : Map.copyOf(validationObjectiveParams);
        }

        /** A row whose candidates are scored on held-out tasks of its own training family. */
        public LearnedRow(String name, String role, String trainer, Map<String, String> trainerParams, String policy,
                          Map<String, String> policyParams, String features, String objective,
                          Map<String, String> objectiveParams, int trainObjectives, String nominalFrom,
                          String trainerLr, long innerSteps, String ablationOf) {
            this(name, role, trainer, trainerParams, policy, policyParams, features, objective, objectiveParams,
                    trainObjectives, nominalFrom, trainerLr, innerSteps, ablationOf, null, Map.of());
        }

        /** For the log and the report: where its candidates are scored, when not on its own family. */
        String scoredOn() {
            return validationObjective == null ? "" : ", candidates scored on " + validationObjective + " "
                    + new java.util.TreeMap<>(validationObjectiveParams);
        }

        static LearnedRow of(SettingsFile f) {
            String role = f.has("role") ? f.text("role") : "learned";
            if (!role.equals("learned") && !role.equals("schedule")) {
                throw new org.l2o.api.ConfigurationException("settings: learned '" + f.text("name") + "': role '" + role
                        + "', expected learned or schedule");
            }
            String name = f.text("name");
            if (!name.matches("[a-z0-9][a-z0-9-]*")) {
                throw new org.l2o.api.ConfigurationException("settings: learned optimizer name '" + name
                        + "', expected lower-case letters, digits and dashes");
            }
            if (f.has("validationObjectiveParams") && !f.has("validationObjective")) {
                throw new org.l2o.api.ConfigurationException("settings: learned '" + name + "': "
                        + "validationObjectiveParams without validationObjective");
            }
            return new LearnedRow(name, role, f.text("trainer"), f.strings("trainerParams"), f.text("policy"),
                    f.strings("policyParams"), f.text("features"), f.text("objective"), f.strings("objectiveParams"),
                    f.positive("trainObjectives"), f.has("nominalFrom") ? f.text("nominalFrom") : null,
                    f.has("trainerLr") ? f.text("trainerLr") : null, f.has("innerSteps") ? f.positive("innerSteps") : 0,
                    f.has("ablationOf") ? f.text("ablationOf") : null,
                    f.has("validationObjective") ? f.text("validationObjective") : null,
                    f.has("validationObjectiveParams") ? f.strings("validationObjectiveParams") : Map.of());
        }
    }

    /** Hand-designed optimizers tuned on each meta-test setting's own training-stream objectives. */
    public record Oracle(List<String> optimizers, Map<String, List<String>> grids, int seeds) {
    }

    /** The role column of summary.csv: baseline, learned, schedule or oracle. */
    String role(String name) {
        if (name.startsWith("oracle:")) {
            return "oracle";
        }
        for (LearnedRow l : settings.learned()) {
            if (name.equals("learned:" + l.name())) {
                return l.role();
            }
        }
        return name.startsWith("learned:") ? "learned" : "baseline";
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
     * @param gps          parameters of the gps-groups trainer, or null to skip it
     * @param gpsPolicy    parameters of its lstm-coordinatewise policy
     * @param conditions   training conditions (starting points of the one training objective)
     * @param bptt         parameters of the bptt trainer, or null to skip it
     * @param bpttPolicy   parameters of the bptt trainer's lstm-coordinatewise policy
     * @param targets      meta-test datasets and settings (datasets absent from the data directory are skipped)
     * @param title        the report's title
     * @param learned      further learned optimizers to meta-train and compare (setting {@code learned}, optional)
     * @param oracle       hand-designed optimizers tuned on each meta-test setting itself, a reference that is
     *                     reported but never counted as a baseline (setting {@code oracle}, optional; may be null)
     * @param pretrained   pretrained optimizers shipped with l2o to compare as they are, rows
     *                     {@code learned:NAME} (setting {@code pretrained}, optional)
     */
    public record Settings(int steps, int tuneSeeds, int testSeeds, int trainEval, int testEval, List<String> optimizers,
                           Map<String, List<String>> grids, Map<String, String> gps, Map<String, String> gpsPolicy,
                           int conditions, Map<String, String> bptt, Map<String, String> bpttPolicy,
                           List<Target> targets, String title, List<LearnedRow> learned, Oracle oracle,
                           List<String> pretrained) {

        /** Settings read from a preset and a user's overrides (see {@link SettingsFile}). */
        public static Settings of(SettingsFile f) {
            List<Target> targets = new ArrayList<>();
            for (SettingsFile t : f.objects("targets")) {
                if (t.has("objective")) {
                    targets.add(new Target(t.text("dataset"), new Cell(t.text("cell"), 0, 0, 0, t.positive("horizons"),
                            t.text("objective"), t.has("objectiveParams") ? t.strings("objectiveParams") : Map.of(),
                            t.has("eval") ? t.positive("eval") : 0)));
                } else {
                    targets.add(new Target(t.text("dataset"), new Cell(t.text("cell"), t.positive("inputs"),
                            t.positive("hidden"), t.positive("batch"), t.positive("horizons"))));
                }
            }
            List<LearnedRow> learned = new ArrayList<>();
            if (f.has("learned")) {
                for (SettingsFile l : f.objects("learned")) {
                    learned.add(LearnedRow.of(l));
                }
            }
            Oracle oracle = null;
            if (f.has("oracle")) {
                SettingsFile o = f.object("oracle");
                oracle = new Oracle(o.texts("optimizers"), o.lists("grids"), o.positive("seeds"));
                for (String id : oracle.optimizers()) {
                    if (!oracle.grids().containsKey(id)) {
                        throw new org.l2o.api.ConfigurationException("settings: oracle optimizer '" + id + "' has no "
                                + "grid in 'oracle.grids'");
                    }
                }
            }
            Settings s = new Settings(f.positive("steps"), f.positive("tuneSeeds"), f.positive("testSeeds"),
                    f.integer("trainEval"), f.integer("testEval"), f.texts("optimizers"), f.lists("grids"),
                    f.strings("gps"), f.strings("gpsPolicy"), f.positive("conditions"), f.strings("bptt"),
                    f.strings("bpttPolicy"), List.copyOf(targets), f.text("title"), List.copyOf(learned), oracle,
                    f.has("pretrained") ? f.texts("pretrained") : List.of());
            java.util.Set<String> rowNames = new java.util.HashSet<>(List.of("gps", "bptt"));
            rowNames.addAll(s.pretrained());
            for (LearnedRow l : learned) {
                if (!rowNames.add(l.name())) {
                    throw new org.l2o.api.ConfigurationException("settings: learned optimizer name '" + l.name()
                            + "' is used twice (gps and bptt are taken)");
                }
                if (l.nominalFrom() != null && !s.optimizers().contains(l.nominalFrom())) {
                    throw new org.l2o.api.ConfigurationException("settings: learned '" + l.name() + "' takes its "
                            + "nominal-lr from '" + l.nominalFrom() + "', which is not a tuned optimizer");
                }
                if (l.ablationOf() != null && (l.ablationOf().equals(l.name())
                        || learned.stream().noneMatch(o -> o.name().equals(l.ablationOf())))) {
                    throw new org.l2o.api.ConfigurationException("settings: learned '" + l.name() + "' is an ablation of '"
                            + l.ablationOf() + "', which is not another learned row of 'learned'");
                }
            }
            for (String o : s.optimizers()) {
                if (!s.grids().containsKey(o)) {
                    throw new org.l2o.api.ConfigurationException("settings: optimizer '" + o + "' has no tuning grid in "
                            + "'grids'");
                }
            }
            if (s.gps() != null && s.gpsPolicy() == null) {
                throw new org.l2o.api.ConfigurationException("settings: 'gpsPolicy' must be an object where 'gps' is");
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
    /** The seed of the meta-training (every learned row), apart from the tuning and the test runs. */
    private final long metaSeed;
    private final Optional<Path> dataDirectory;
    private final Consumer<String> log;
    /** The summaries of every setting evaluated so far, for the comparison table. */
    private final List<CellResult> cells = new ArrayList<>();

    private record CellResult(String dataset, String setting, List<Summary> summaries) {
    }

    /** Rows of after-horizon.csv, for every setting run past the training horizon. */
    private final List<List<String>> afterHorizon = new ArrayList<>();

    static final List<String> AFTER_HORIZON = List.of("dataset", "setting", "optimizer", "role", "steps",
            "mean_value_at_horizon", "mean_final_value", "growth", "runs");

    public LiMalik2017(PluginRegistry registry, Settings settings, long seed, Optional<Path> dataDirectory,
                       Consumer<String> log, RolloutExecutor rollouts) {
        this(registry, settings, seed, seed, dataDirectory, log, rollouts);
    }

    /**
     * An experiment whose learned rows are meta-trained with {@code metaSeed} while the tuning and
     * the test runs use {@code seed}: two meta-training seeds compared on the same test runs.
     */
    public LiMalik2017(PluginRegistry registry, Settings settings, long seed, long metaSeed,
                       Optional<Path> dataDirectory, Consumer<String> log, RolloutExecutor rollouts) {
        this.rollouts = rollouts;
        this.registry = registry;
        this.settings = settings;
        this.seed = seed;
        this.metaSeed = metaSeed;
        this.dataDirectory = dataDirectory;
        this.log = log;
    }

    private CreationContext context() {
        return new CreationContext(dataDirectory, seed, rollouts);
    }

    private ObjectiveFamily family(Map<String, String> params) {
        return family("mlp-classifier", params);
    }

    private ObjectiveFamily family(String objective, Map<String, String> params) {
        ObjectiveProvider p = registry.objective(objective);
        return p.create(p.configure(params), context());
    }

    /** The family a source names. */
    private ObjectiveFamily family(EvaluationRun.Source source) {
        return family(source.objective(), source.params());
    }

    /** Where the test family of a setting on {@code dataset} comes from (for runs on a cluster's workers). */
    private EvaluationRun.Source source(String dataset, Cell cell) {
        if (cell.objective().equals("mlp-classifier") && cell.objectiveParams().isEmpty()) {
            return source("mlp-classifier", objectiveParameters(dataset, cell.inputs(), cell.hidden(), cell.batch(),
                    settings.testEval()));
        }
        Map<String, String> params = new LinkedHashMap<>(cell.objectiveParams());
        params.put("dataset", dataset);
        params.putIfAbsent("eval-samples", Integer.toString(cell.eval() > 0 ? cell.eval() : settings.testEval()));
        return source(cell.objective(), params);
    }

    private EvaluationRun.Source source(String objective, Map<String, String> params) {
        return new EvaluationRun.Source(objective, params, dataDirectory, List.of());
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
        // what a cluster's worker rebuilds each row from: the SPEC, or the learned row's file in dir
        List<String> specs = new ArrayList<>(names);
        List<UpdateRule> rules = new ArrayList<>();
        for (OptimizerSpec s : tuned) {
            rules.add(s.create(registry, context()));
        }
        if (gps != null) {
            names.add("learned:gps");
            specs.add(OptimizerSpec.LEARNED + ":" + dir.resolve("learned-gps.l2o").toAbsolutePath());
            rules.add(LearnedOptimizers.rule("learned:gps", gps.optimizer(), registry, context()));
        }
        if (bptt != null) {
            names.add("learned:bptt");
            specs.add(OptimizerSpec.LEARNED + ":" + dir.resolve("learned-bptt.l2o").toAbsolutePath());
            rules.add(LearnedOptimizers.rule("learned:bptt", bptt.optimizer(), registry, context()));
        }
        for (Map.Entry<String, MetaTrainingResult> e : trained.extra().entrySet()) {
            names.add("learned:" + e.getKey());
            specs.add(OptimizerSpec.LEARNED + ":" + dir.resolve("learned-" + e.getKey() + ".l2o").toAbsolutePath());
            rules.add(LearnedOptimizers.rule("learned:" + e.getKey(), e.getValue().optimizer(), registry, context()));
        }
        for (String name : settings.pretrained()) {
            OptimizerSpec spec = OptimizerSpec.parse(OptimizerSpec.LEARNED + ":" + name);
            names.add(spec.text());
            specs.add(spec.text());
            rules.add(spec.create(registry, context()));
        }
        if (from.isPresent()) {
            html.heading("Meta-training").paragraph("Tuned settings and learned optimizers from " + from.get()
                    + " (tuned.json, learned-gps.l2o, learned-bptt.l2o): " + names + ".");
        } else {
            html.heading("Meta-training").paragraph("Training objective: mlp-classifier " + trainParams + ", horizon "
                    + horizon + ". Hand-designed optimizers tuned for the summed true loss over " + settings.tuneSeeds()
                    + " runs (tuned.json).")
                    .table(List.of("optimizer", "tuned setting", "mean summed loss"), trained.tuneRows());
            if (gps != null) {
                html.table(List.of("GPS iteration", "sample cost", "policy cost", "validation cost", "KL per step",
                        "regression error", "seconds"), history(gps, "sample_cost", "policy_cost",
                        "validation_cost", "kl", "regression_loss", "seconds"));
            }
            if (bptt != null) {
                html.table(List.of("BPTT iteration", "training loss per step", "validation cost", "seconds"),
                        history(bptt, "train_loss", "validation_cost", "seconds"));
            }
            for (LearnedRow l : settings.learned()) {
                MetaTrainingResult r = trained.extra().get(l.name());
                if (r == null) {
                    continue;
                }
                html.paragraph("learned:" + l.name() + " (" + l.role() + "): " + l.trainer() + " on " + l.objective()
                        + " " + l.objectiveParams() + ", policy " + r.optimizer().policyClass() + " "
                        + new java.util.TreeMap<>(r.optimizer().policyParameters()) + l.scoredOn()
                        + ", file learned-" + l.name() + ".l2o; every 10th iteration below (validation where it ran).")
                        .table(progressHeader(l.trainer(), r), every(history(r, progressKeys(r)), 10));
            }
        }
        trained.diverged().forEach((name, reason) -> html.paragraph("learned:" + name + ": meta-training diverged ("
                + reason + "); the row is left out of the tables."));
        // what each learned optimizer was trained on and with, from its own provenance
        Map<String, String> provenance = new java.util.TreeMap<>();
        List<MetaTrainingResult> all = new ArrayList<>();
        if (gps != null) {
            all.add(gps);
        }
        if (bptt != null) {
            all.add(bptt);
        }
        all.addAll(trained.extra().values());
        for (MetaTrainingResult r : all) {
            var p = r.optimizer().provenance();
            p.environment().forEach((k, v) -> {
                if (k.startsWith("data.")) {
                    provenance.put(p.trainer() + " " + k, v);
                }
            });
        }
        html.keyValues("Training data of the learned optimizers", provenance);
        // what each cost, from the same provenance (issue 16 compares trainers at equal budgets)
        Map<String, MetaTrainingResult> rows = new LinkedHashMap<>();
        if (gps != null) {
            rows.put("gps", gps);
        }
        if (bptt != null) {
            rows.put("bptt", bptt);
        }
        rows.putAll(trained.extra());
        html.table(LearnedRows.BUDGET_HEADER, LearnedRows.budgets(rows));
        return evaluate(dir, html, names, specs, rules, horizon, began, datasets, from.isPresent());
    }

    /**
     * Tuned hand-designed optimizers and the learned optimizers (bptt may be null; extra by row name;
     * diverged: the learned rows whose meta-training diverged, with the reason, left out of the tables).
     */
    private record Trained(List<OptimizerSpec> tuned, List<List<String>> tuneRows, MetaTrainingResult gps,
                           MetaTrainingResult bptt, Map<String, MetaTrainingResult> extra, Map<String, String> diverged) {
    }

    /**
     * Meta-trains a learned row into {@code extra}; a row whose meta-training diverges is noted in
     * {@code diverged} and left out, so one recipe that cannot be trained (an ablation, say) does
     * not stop the others. Its checkpoint stays: the same command gets to the same point again.
     */
    private void trainRowInto(Path dir, LearnedRow l, List<OptimizerSpec> tuned, Map<String, MetaTrainingResult> extra,
                              Map<String, String> diverged) throws IOException {
        try {
            extra.put(l.name(), trainRow(dir, l, tuned));
        } catch (org.l2o.api.DivergenceException e) {
            log.accept("learned:" + l.name() + ": meta-training diverged (" + e.getMessage() + "); the row is left out");
            diverged.put(l.name(), e.getMessage());
        }
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
        List<String> files = new ArrayList<>(List.of("tuned.json", "learned-gps.l2o", "learned-bptt.l2o"));
        settings.learned().forEach(l -> files.add("learned-" + l.name() + ".l2o"));
        for (String f : files) {
            Path source = from.resolve(f);
            Path target = dir.resolve(f);
            if (Files.isRegularFile(source) && !(Files.exists(target) && Files.isSameFile(source, target))) {
                Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        MetaTrainingResult gps = settings.gps() == null ? null
                : new MetaTrainingResult(LearnedOptimizerFile.read(from.resolve("learned-gps.l2o")), List.of());
        MetaTrainingResult bptt = null;
        if (settings.bptt() != null) {
            bptt = new MetaTrainingResult(LearnedOptimizerFile.read(from.resolve("learned-bptt.l2o")), List.of());
        }
        log.accept("reusing " + tuned.stream().map(OptimizerSpec::text).toList() + " and the learned optimizers of "
                + from);
        Map<String, MetaTrainingResult> extra = new LinkedHashMap<>();
        Map<String, String> diverged = new LinkedHashMap<>();
        for (LearnedRow l : settings.learned()) {
            Path file = from.resolve("learned-" + l.name() + ".l2o");
            if (Files.isRegularFile(file)) {
                LearnedOptimizer reused = LearnedOptimizerFile.read(file);
                checkTrainedAsStated(file, l, reused);
                extra.put(l.name(), new MetaTrainingResult(reused, List.of()));
            } else { // a row the earlier run did not have (rl-vs-supervised's own rows): trained here
                log.accept("learned:" + l.name() + " is not in " + from + "; meta-training it here");
                trainRowInto(dir, l, tuned, extra, diverged);
            }
        }
        return new Trained(tuned, List.of(), gps, bptt, extra, diverged);
    }

    /**
     * Refuses to reuse a learned file whose provenance contradicts its row in the settings (a row
     * changed but kept its name): the trainer, the training family and its parameters, the number of
     * training objectives, the policy class and feature map, and every trainer and policy parameter
     * the row states (the file has more: defaults and the tuned step the experiment adds).
     */
    private static void checkTrainedAsStated(Path file, LearnedRow l, LearnedOptimizer lo) {
        Provenance p = lo.provenance();
        List<String> differ = new ArrayList<>();
        compare(differ, "trainer", l.trainer(), p.trainer());
        compare(differ, "objective", l.objective(), p.objective());
        compare(differ, "objectiveParams", new java.util.TreeMap<>(l.objectiveParams()).toString(),
                new java.util.TreeMap<>(p.objectiveParameters()).toString());
        compare(differ, "trainObjectives", Integer.toString(l.trainObjectives()), Integer.toString(p.trainObjectives()));
        compare(differ, "policy", l.policy(), lo.policyClass());
        compare(differ, "features", OptimizerSpec.parse(l.features()).id(), lo.featureMap());
        l.trainerParams().forEach((k, v) -> compare(differ, "trainerParams." + k, v, p.trainerParameters().get(k)));
        l.policyParams().forEach((k, v) -> compare(differ, "policyParams." + k, v, lo.policyParameters().get(k)));
        if (!differ.isEmpty()) {
            throw new org.l2o.api.ConfigurationException("--from: " + file + " was not trained as the settings' row '"
                    + l.name() + "' states (" + String.join("; ", differ) + "); give the changed row another name to "
                    + "meta-train it here, or remove the file");
        }
    }

    private static void compare(List<String> differ, String key, String stated, String trained) {
        if (!stated.equals(trained)) {
            differ.add(key + ": the row says " + stated + ", the file has " + trained);
        }
    }

    private Trained train(Path dir, Map<String, String> trainParams, int horizon) throws IOException {
        EvaluationRun.Source trainingSource = source("mlp-classifier", trainParams);
        ObjectiveFamily training = family(trainingSource);
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
        if (!toTune.contains("sgd") && settings.gps() != null) {
            toTune.add(0, "sgd"); // its step size starts the GPS controllers
        }
        for (String id : toTune) {
            long t0 = System.nanoTime();
            Tuning.Result r = Tuning.run(registry, context(), training, Optional.of(trainingSource),
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
        MetaTrainingResult gps = null;
        if (settings.gps() != null) {
            Map<String, String> gpsParams = new java.util.TreeMap<>(settings.gps());
            gpsParams.putIfAbsent("init-lr", sgd.parameters().getOrDefault("lr", "0.1"));
            log.accept("meta-training with gps-groups on MNIST 48-48-10 (" + settings.conditions() + " conditions, "
                    + "horizon " + horizon + ", " + gpsParams + ")");
            gps = train(dir.resolve("learned-gps.l2o"), "gps-groups", gpsParams, settings.gpsPolicy(), "lm2017",
                    training, trainParams);
        }
        MetaTrainingResult bptt = null;
        if (settings.bptt() != null) {
            log.accept("meta-training with bptt on the same objective, horizon and minibatch ("
                    + new java.util.TreeMap<>(settings.bptt()) + ")");
            bptt = train(dir.resolve("learned-bptt.l2o"), "bptt", settings.bptt(), settings.bpttPolicy(), "lm2016",
                    training, trainParams);
        }
        Map<String, MetaTrainingResult> extra = new LinkedHashMap<>();
        Map<String, String> diverged = new LinkedHashMap<>();
        for (LearnedRow l : settings.learned()) {
            trainRowInto(dir, l, tuned, extra, diverged);
        }
        return new Trained(tuned, tuneRows, gps, bptt, extra, diverged);
    }

    /**
     * Runs every target on the datasets in {@code only} (all when empty) and writes the summary and
     * report; with {@code readBack}, a dataset whose folder is already complete is read back instead.
     */
    private List<List<String>> evaluate(Path dir, Html html, List<String> names, List<String> specs,
                                        List<UpdateRule> rules, int horizon, long began, List<String> only,
                                        boolean readBack) throws IOException {
        List<String> header = new ArrayList<>(List.of("dataset", "setting", "role"));
        header.addAll(Summary.COLUMNS);
        List<List<String>> all = new ArrayList<>();
        List<Target> targets = installedTargets();
        List<String> datasets = targets.stream().map(Target::dataset).distinct().toList();
        List<String> cellNames = targets.stream().map(t -> t.cell().name()).distinct().toList();
        List<String> gridHeader = new ArrayList<>(List.of("dataset"));
        gridHeader.addAll(cellNames);
        List<List<String>> grid = new ArrayList<>();
        for (String dataset : datasets) {
            if (!only.isEmpty() && !only.contains(dataset)) {
                continue;
            }
            // A finished folder needs no data, so it is looked for before the dataset is loaded.
            Optional<Map<String, List<RunResult>>> done = readBack
                    ? finished(dir.resolve(dataset), dataset, targets, names, horizon) : Optional.empty();
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
            // each cell's finished runs (and its oracle's grid points) are kept beside the output until
            // the dataset's folder is committed: a run that died continues with the cell it stopped in
            List<RunCheckpoint> checkpoints = new ArrayList<>();
            try (StagedOutput staged = StagedOutput.open(dir.resolve(dataset))) {
                for (String cellName : cellNames) {
                    Optional<Cell> found = targets.stream().filter(t -> t.dataset().equals(dataset)
                            && t.cell().name().equals(cellName)).map(Target::cell).findFirst();
                    if (found.isEmpty()) {
                        gridRow.add("");
                        continue;
                    }
                    Cell cell = found.get();
                    int steps = horizon * cell.horizons();
                    long t0 = System.nanoTime();
                    EvaluationRun.Source source = source(dataset, cell);
                    ObjectiveFamily family = family(source);
                    List<String> cellNames2 = new ArrayList<>(names);
                    List<String> cellSpecs = new ArrayList<>(specs);
                    List<UpdateRule> cellRules = new ArrayList<>(rules);
                    if (settings.oracle() != null) {
                        for (OptimizerSpec o : oracle(family, source, steps, dir.resolve(dataset + "." + cell.name()),
                                checkpoints)) {
                            cellNames2.add("oracle:" + o.text());
                            cellSpecs.add(o.text());
                            cellRules.add(o.create(registry, context()));
                        }
                    }
                    List<RunResult> runs;
                    EvaluationRun.Source cellSource = source.withOptimizers(cellSpecs);
                    RunCheckpoint checkpoint = RunCheckpoint.continuing(dir.resolve(dataset + "." + cell.name()),
                            RunCheckpoint.identity("li-malik-2017", cellSource, "names=" + cellNames2, "steps=" + steps,
                                    "seeds=" + settings.testSeeds(), "seed=" + seed), line -> log.accept(dataset + " "
                                    + cell.name() + ": " + line));
                    checkpoints.add(checkpoint);
                    try (checkpoint;
                         TrajectorySink sink = ArrowTrajectories.writer(staged.dir().resolve(cell.name() + ".arrow"))) {
                        runs = Runs.run(family, Optional.of(cellSource), Runs.Split.TEST, seed, cellNames2, cellRules,
                                settings.testSeeds(), steps, Optional.empty(), sink, (r, d, t) -> { }, rollouts,
                                checkpoint);
                    }
                    Plots.lossCurves(Curves.of(runs), dataset + ", " + cell.name() + ": true objective, mean and range "
                            + "over " + settings.testSeeds() + " seeds", staged.dir().resolve(cell.name()));
                    addCell(dataset, cell.name(), runs, all, gridRow, html);
                    log.accept(String.format(Locale.ROOT, "%s %s (%d steps): %s (%.0f s)", dataset, cell.name(), steps,
                            gridRow.get(gridRow.size() - 1), (System.nanoTime() - t0) / 1e9));
                }
                staged.commit();
            }
            checkpoints.forEach(RunCheckpoint::delete);
            grid.add(gridRow);
        }
        StagedOutput.writeAtomically(dir.resolve("summary.csv"), Csv.bytes(header, all));
        List<List<String>> comparison = comparison();
        StagedOutput.writeAtomically(dir.resolve("comparison.csv"), Csv.bytes(COMPARISON, comparison));
        if (!afterHorizon.isEmpty()) {
            StagedOutput.writeAtomically(dir.resolve("after-horizon.csv"), Csv.bytes(AFTER_HORIZON, afterHorizon));
        }
        List<List<String>> ablation = ablation();
        if (!ablation.isEmpty()) {
            StagedOutput.writeAtomically(dir.resolve("ablation.csv"), Csv.bytes(ABLATION, ablation));
        }
        html.heading("Results grid").paragraph("Per dataset and setting: the optimizer with the lowest mean final true "
                + "objective (runs that diverged rank last), the rank of each learned optimizer among all (1 = lowest) "
                + "and its diverged runs. Settings: inputs-hidden units, minibatch b, kT = k times the training horizon. "
                + "A run diverged when its final value is non-finite or above its start.").table(gridHeader, grid)
                .table(header, all);
        html.heading("Learned against tuned").paragraph("Per setting and learned optimizer: its mean final true "
                + "objective; the best MNIST-tuned hand-designed optimizer (a run that diverged disqualifies it) and the "
                + "relative difference (negative: the learned optimizer is lower); the best oracle, a hand-designed "
                + "optimizer tuned on the setting itself (a reference, not a baseline); the learned schedule row "
                + "(comparison.csv).").table(COMPARISON, comparison);
        if (!afterHorizon.isEmpty()) {
            html.heading("After the training horizon").paragraph("Settings run longer than the horizon T the "
                    + "optimizers were tuned and meta-trained for: the mean true objective at step T and at the end "
                    + "over the runs that stayed finite, and its growth (final / at T - 1; positive: the loss rose "
                    + "past the horizon) (after-horizon.csv).").table(AFTER_HORIZON, afterHorizon);
        }
        if (!ablation.isEmpty()) {
            html.heading("Ablation").paragraph("Each learned row that changes one part of another row's recipe "
                    + "(setting ablationOf) against that row, per setting: both mean final true objectives and the "
                    + "relative difference (positive: the ablated recipe ends higher, so the part it removed helped) "
                    + "(ablation.csv).").table(ABLATION, ablation);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        html.heading("Run").paragraph(String.format(Locale.ROOT, "Wall time %.1f minutes on %d cores.", seconds / 60,
                Runtime.getRuntime().availableProcessors()));
        StagedOutput.writeAtomically(dir.resolve("report.html"), html.render().getBytes(StandardCharsets.UTF_8));
        return all;
    }

    static final List<String> COMPARISON = List.of("dataset", "setting", "learned", "mean_final_value", "diverged_runs",
            "best_baseline", "baseline_value", "vs_baseline", "best_oracle", "oracle_value", "vs_oracle",
            "schedule", "schedule_value", "vs_schedule");

    /** Rows of comparison.csv: each learned row against the best baseline, oracle and schedule of its setting. */
    private List<List<String>> comparison() {
        List<List<String>> out = new ArrayList<>();
        for (CellResult c : cells) {
            Optional<Summary> baseline = best(c.summaries(), "baseline");
            Optional<Summary> oracle = best(c.summaries(), "oracle");
            Optional<Summary> schedule = best(c.summaries(), "schedule");
            for (Summary s : c.summaries()) {
                if (!role(s.optimizer()).equals("learned")) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(c.dataset(), c.setting(), s.optimizer(),
                        num(s.meanFinalValue()), Integer.toString(s.divergedRuns())));
                for (Optional<Summary> other : List.of(baseline, oracle, schedule)) {
                    row.add(other.map(Summary::optimizer).orElse(""));
                    row.add(other.map(o -> num(o.meanFinalValue())).orElse(""));
                    row.add(other.map(o -> num((s.meanFinalValue() - o.meanFinalValue()) / Math.abs(o.meanFinalValue())))
                            .orElse(""));
                }
                out.add(row);
            }
        }
        return out;
    }

    static final List<String> ABLATION = List.of("dataset", "setting", "learned", "ablation_of", "mean_final_value",
            "diverged_runs", "reference_value", "reference_diverged_runs", "vs_reference");

    /** Rows of ablation.csv: each ablation row against the learned row whose recipe it changes, setting by setting. */
    private List<List<String>> ablation() {
        List<List<String>> out = new ArrayList<>();
        for (CellResult c : cells) {
            for (LearnedRow l : settings.learned()) {
                if (l.ablationOf() == null) {
                    continue;
                }
                Optional<Summary> row = summary(c, "learned:" + l.name());
                Optional<Summary> reference = summary(c, "learned:" + l.ablationOf());
                if (row.isEmpty() || reference.isEmpty()) {
                    continue;
                }
                Summary a = row.get();
                Summary b = reference.get();
                out.add(List.of(c.dataset(), c.setting(), a.optimizer(), b.optimizer(), num(a.meanFinalValue()),
                        Integer.toString(a.divergedRuns()), num(b.meanFinalValue()), Integer.toString(b.divergedRuns()),
                        num((a.meanFinalValue() - b.meanFinalValue()) / Math.abs(b.meanFinalValue()))));
            }
        }
        return out;
    }

    private static Optional<Summary> summary(CellResult c, String optimizer) {
        return c.summaries().stream().filter(s -> s.optimizer().equals(optimizer)).findFirst();
    }

    /** The row of {@code role} with the lowest mean final value among those with no diverged run. */
    private Optional<Summary> best(List<Summary> summaries, String role) {
        return summaries.stream().filter(s -> role(s.optimizer()).equals(role) && s.divergedRuns() == 0
                && Double.isFinite(s.meanFinalValue())).min(java.util.Comparator.comparingDouble(Summary::meanFinalValue));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** One setting's summary rows, results-grid cell and plot in the report. */
    private void addCell(String dataset, String cellName, List<RunResult> runs, List<List<String>> all,
                         List<String> gridRow, Html html) {
        List<Summary> summaries = Summary.of(runs);
        cells.add(new CellResult(dataset, cellName, summaries));
        for (Summary s : summaries) {
            List<String> row = new ArrayList<>(List.of(dataset, cellName, role(s.optimizer())));
            row.addAll(s.cells());
            all.add(row);
        }
        gridRow.add(gridCell(summaries, this::role));
        html.image(dataset + "/" + cellName + ".png", dataset + " " + cellName);
        afterHorizon.addAll(afterHorizon(dataset, cellName, runs, settings.steps(), this::role));
    }

    /**
     * Past the training horizon T: per optimizer, the mean true value at step T and at the end over
     * the runs that finished, and the growth {@code final / at T - 1} (positive: the loss rose after
     * the horizon it was trained for). Empty where the runs end at T.
     */
    static List<List<String>> afterHorizon(String dataset, String setting, List<RunResult> runs, int horizon,
                                           java.util.function.Function<String, String> role) {
        Map<String, List<RunResult>> byOptimizer = new LinkedHashMap<>();
        runs.forEach(r -> byOptimizer.computeIfAbsent(r.optimizer(), k -> new ArrayList<>()).add(r));
        List<List<String>> out = new ArrayList<>();
        byOptimizer.forEach((name, rs) -> {
            int steps = rs.get(0).steps();
            if (steps <= horizon) {
                return;
            }
            double atT = 0;
            double last = 0;
            int finished = 0;
            for (RunResult r : rs) {
                if (Double.isFinite(r.finalValue())) {
                    atT += r.values()[horizon];
                    last += r.finalValue();
                    finished++;
                }
            }
            atT /= finished;
            last /= finished;
            out.add(List.of(dataset, setting, name, role.apply(name), Integer.toString(steps),
                    finished == 0 ? "" : num(atT), finished == 0 ? "" : num(last),
                    finished == 0 ? "" : num(last / atT - 1), finished + " of " + rs.size()));
        });
        return out;
    }

    /**
     * The meta-test settings whose objective plugin is installed; each other one is skipped with a
     * line (a setting on another plugin's objective, such as l2o-dl4j's {@code dl4j-network}), so a
     * dataset left without settings is neither loaded nor given a folder.
     */
    private List<Target> installedTargets() {
        List<Target> out = new ArrayList<>();
        for (Target t : settings.targets()) {
            if (registry.has(ObjectiveProvider.class, t.cell().objective())) {
                out.add(t);
            } else {
                log.accept(t.dataset() + " " + t.cell().name() + ": skipped (objective plugin '" + t.cell().objective()
                        + "' is not installed)");
            }
        }
        return out;
    }

    /**
     * The runs of every setting of {@code dataset} read back from {@code folder}, when it holds each
     * setting's trajectories for exactly the optimizers {@code names}; empty otherwise.
     */
    private Optional<Map<String, List<RunResult>>> finished(Path folder, String dataset, List<Target> targets,
                                                             List<String> names, int horizon) {
        Map<String, List<RunResult>> out = new LinkedHashMap<>();
        for (Target t : targets) {
            if (!t.dataset().equals(dataset)) {
                continue;
            }
            Path arrow = folder.resolve(t.cell().name() + ".arrow");
            if (!Files.isRegularFile(arrow)) {
                return Optional.empty();
            }
            List<RunResult> runs = RunResult.fromRecords(ArrowTrajectories.read(arrow), horizon * t.cell().horizons());
            List<String> found = runs.stream().map(RunResult::optimizer).distinct().toList();
            int oracles = settings.oracle() == null ? 0 : settings.oracle().optimizers().size();
            if (found.size() != names.size() + oracles || !found.subList(0, names.size()).equals(names)
                    || found.subList(names.size(), found.size()).stream().anyMatch(n -> !n.startsWith("oracle:"))
                    || runs.size() != found.size() * settings.testSeeds()) {
                return Optional.empty();
            }
            out.put(t.cell().name(), runs);
        }
        return Optional.of(out);
    }

    /**
     * "lowest: NAME; gps rank r/k (d diverged); ..." for one cell, every learned and schedule row
     * ranked; oracle rows are a reference and take no part in the ranking.
     */
    static String gridCell(List<Summary> summaries, java.util.function.Function<String, String> role) {
        List<Summary> sorted = new ArrayList<>(summaries.stream().filter(s -> !role.apply(s.optimizer())
                .equals("oracle")).toList());
        sorted.sort(java.util.Comparator.comparingDouble(s -> Double.isFinite(s.meanFinalValue()) && s.divergedRuns() == 0
                ? s.meanFinalValue() : Double.POSITIVE_INFINITY));
        StringBuilder b = new StringBuilder("lowest: " + sorted.get(0).optimizer());
        for (String learned : sorted.stream().map(Summary::optimizer).filter(n -> !role.apply(n).equals("baseline"))
                .sorted().toList()) {
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

    /** Progress metrics a learned row's table shows, those its trainer reported. */
    private static final List<String> PROGRESS = List.of("train_loss", "sample_cost", "policy_cost", "validation_cost",
            "regression_loss", "kl", "step_mult", "inner_steps_total", "seconds");

    private static String[] progressKeys(MetaTrainingResult r) {
        return PROGRESS.stream().filter(k -> r.history().stream().anyMatch(m -> m.containsKey(k))).toArray(String[]::new);
    }

    private static List<String> progressHeader(String trainer, MetaTrainingResult r) {
        List<String> out = new ArrayList<>(List.of(trainer + " iteration"));
        for (String k : progressKeys(r)) {
            out.add(k.replace('_', ' '));
        }
        return out;
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

    /**
     * The per-setting oracle: each hand-designed optimizer tuned on the setting itself. The grid
     * points finished are kept in checkpoints named after {@code cell} (added to {@code checkpoints},
     * deleted with the dataset's), so an interrupted grid search continues.
     */
    private List<OptimizerSpec> oracle(ObjectiveFamily family, EvaluationRun.Source source, int steps, Path cell,
                                       List<RunCheckpoint> checkpoints) {
        List<OptimizerSpec> out = new ArrayList<>();
        for (String id : settings.oracle().optimizers()) {
            List<OptimizerSpec> grid = Tuning.specs(OptimizerSpec.parse(id), settings.oracle().grids().get(id));
            RunCheckpoint checkpoint = RunCheckpoint.continuing(cell.resolveSibling(cell.getFileName() + ".oracle-" + id),
                    RunCheckpoint.identity("li-malik-2017 oracle", source.withOptimizers(
                            grid.stream().map(OptimizerSpec::text).toList()), "steps=" + steps,
                            "seeds=" + settings.oracle().seeds(), "seed=" + seed),
                    line -> log.accept(cell.getFileName() + " oracle " + id + ": " + line));
            checkpoints.add(checkpoint);
            try (checkpoint) {
                Tuning.Result r = Tuning.run(registry, context(), family, Optional.of(source), grid,
                        settings.oracle().seeds(), steps, seed, false, (x, d, t) -> { }, rollouts, checkpoint);
                out.add(r.winner().map(Tuning.Point::spec).orElse(OptimizerSpec.parse(id)));
            }
        }
        return out;
    }

    /**
     * Meta-trains one further learned optimizer into {@code learned-NAME.l2o}, continuing from its
     * checkpoint when an earlier run of the experiment into {@code dir} was interrupted.
     */
    private MetaTrainingResult trainRow(Path dir, LearnedRow l, List<OptimizerSpec> tuned) {
        LearnedRows.Parameters tunedStep = LearnedRows.withTunedStep(l.name(), l.policyParams(), l.trainerParams(),
                l.features(), l.nominalFrom(), l.trainerLr(), tuned);
        Map<String, String> policy = tunedStep.policy();
        Map<String, String> trainerParams = tunedStep.trainer();
        ObjectiveProvider p = registry.objective(l.objective());
        ObjectiveFamily family = p.create(p.configure(l.objectiveParams()), context());
        MetaTrainingJob job = MetaTrainingJob.builder(registry).trainer(l.trainer(), trainerParams)
                .policy(l.policy(), policy).features(tunedStep.features()).objective(l.objective(), l.objectiveParams())
                .validation(l.validationObjective(), l.validationObjectiveParams())
                .trainObjectives(l.trainObjectives()).steps(settings.steps()).seed(metaSeed)
                .innerStepBudget(l.innerSteps() > 0 ? l.innerSteps() : Long.MAX_VALUE).context(context()).build();
        Path file = dir.resolve("learned-" + l.name() + ".l2o");
        boolean resume = Files.isRegularFile(MetaTrainingJob.checkpointOf(file));
        log.accept("meta-training learned:" + l.name() + " (" + l.role() + ") with " + l.trainer() + " "
                + trainerParams + " on " + l.objective() + " " + l.objectiveParams() + ", policy " + l.policy() + " "
                + policy + (l.innerSteps() > 0 ? ", budget " + l.innerSteps() + " inner steps" : "")
                + l.scoredOn() + (resume ? ", continuing from its checkpoint" : ""));
        return job.run(family, file, resume, false, new MetaTrainingListener() {
            @Override
            public void iteration(int iteration, int iterations, Map<String, Double> m) {
                Double validation = m.get("validation_cost");
                if ((iteration + 1) % 10 != 0 && iteration + 1 != iterations
                        && (validation == null || validation.isNaN()) && !m.containsKey("start_validation_cost")) {
                    return;
                }
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %s iteration %d/%d:", l.name(),
                        iteration + 1, iterations));
                for (String k : List.of("train_loss", "sample_cost", "policy_cost", "validation_cost",
                        "start_validation_cost", "regression_loss", "step_mult", "seconds")) {
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
        }, null);
    }

    /** Every {@code k}-th row and the last. */
    private static List<List<String>> every(List<List<String>> rows, int k) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if ((i + 1) % k == 0 || i + 1 == rows.size()) {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    /**
     * Meta-trains a faithful row into {@code file} (written at every checkpoint and at the end),
     * checkpointed beside it like the learned rows, so a run that dies in the middle continues from its
     * last iteration when the same command is rerun.
     */
    private MetaTrainingResult train(Path file, String trainer, Map<String, String> params,
                                     Map<String, String> policyParams, String featureMap, ObjectiveFamily family,
                                     Map<String, String> objectiveParams) {
        int objectives = trainer.equals("bptt") ? 1 : settings.conditions();
        MetaTrainingJob job = MetaTrainingJob.builder(registry).trainer(trainer, params)
                .policy("lstm-coordinatewise", policyParams).features(featureMap)
                .objective("mlp-classifier", objectiveParams).trainObjectives(objectives).steps(settings.steps())
                .seed(metaSeed).context(context()).build();
        boolean resume = Files.isRegularFile(MetaTrainingJob.checkpointOf(file));
        if (resume) {
            log.accept("  " + trainer + ": continuing from " + MetaTrainingJob.checkpointOf(file).getFileName());
        }
        return job.run(family, file, resume, false, new MetaTrainingListener() {
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
        }, null);
    }
}
