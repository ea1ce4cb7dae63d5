package org.l2o.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.l2o.api.ConfigurationException;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.Csv;
import org.l2o.runtime.io.StagedOutput;
import org.l2o.runtime.run.OptimizerSpec;
import org.l2o.runtime.run.RunResult;
import org.l2o.runtime.run.Runs;
import org.l2o.runtime.run.Summary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code l2o tune}: grid search of an optimizer's hyperparameters on training objectives, the way
 * the papers tune every baseline before comparing (spec sections 1.6, 2.7).
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Grid-search an optimizer's hyperparameters on training objectives of a family.",
            "Writes tuned.json and grid.csv into --out and prints the best setting."})
public final class TuneCommand implements Callable<Integer> {

    private final PluginRegistry registry;
    private final Console console;

    @Mixin
    ObjectiveOptions objective = new ObjectiveOptions();

    @Option(names = "--optimizer", required = true, paramLabel = "SPEC",
            description = "optimizer SPEC; its parameters stay fixed, e.g. momentum:dampening=0")
    String optimizer;

    @Option(names = "--grid", required = true, paramLabel = "KEY=V1,V2,...",
            description = "values to try for one parameter (repeatable; all combinations are tried)")
    List<String> grid = new ArrayList<>();

    @Option(names = "--steps", defaultValue = "100", description = "steps per run (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seeds", defaultValue = "5", description = "training objectives (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--seed", defaultValue = "0", description = "root seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--metric", defaultValue = "auc",
            description = "what to minimise: auc (sum of true values over the steps, the papers' meta-loss) or "
                    + "final (value at the last step); default: ${DEFAULT-VALUE}")
    String metric;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = {"--quiet", "-q"}, description = "no progress bar")
    boolean quiet;

    @Inject
    TuneCommand(PluginRegistry registry, Console console) {
        this.registry = registry;
        this.console = console;
    }

    /** All combinations of the grid, in order (first key varies slowest). */
    static List<Map<String, String>> combinations(List<String> grid) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String g : grid) {
            int eq = g.indexOf('=');
            if (eq <= 0 || eq == g.length() - 1) {
                throw new ConfigurationException("--grid " + g + ": expected KEY=V1,V2,...");
            }
            String key = g.substring(0, eq).strip();
            if (!keys.add(key)) {
                throw new ConfigurationException("--grid: parameter '" + key + "' given twice");
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> base : out) {
                for (String v : g.substring(eq + 1).split(",")) {
                    if (v.isBlank()) {
                        throw new ConfigurationException("--grid " + g + ": empty value");
                    }
                    Map<String, String> m = new LinkedHashMap<>(base);
                    m.put(key, v.strip());
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    @Override
    public Integer call() {
        Plans.positive("--steps", steps);
        Plans.positive("--seeds", seeds);
        if (!metric.equals("auc") && !metric.equals("final")) {
            throw new ConfigurationException("--metric " + metric + ": expected auc or final");
        }
        Plans.ObjectivePlan plan = Plans.objective(registry, console, objective, seed);
        OptimizerSpec base = OptimizerSpec.parse(optimizer);
        List<OptimizerSpec> specs = combinations(grid).stream().map(base::with).toList();
        List<UpdateRule> rules = Plans.rules(registry, specs, plan.context());
        List<String> names = specs.stream().map(OptimizerSpec::text).toList();
        try (StagedOutput staged = StagedOutput.open(out)) {
            ObjectiveFamily family = plan.create();
            Plans.checkRules(rules, family, seed);
            List<RunResult> runs;
            try (Progress progress = Progress.start("tune", (long) rules.size() * seeds, quiet)) {
                runs = Runs.run(family, Runs.Split.TRAIN, seed, names, rules, seeds, steps, Optional.empty(), null,
                        (r, done, total) -> progress.stepTo(done, r.optimizer()));
            }
            List<Summary> summary = Summary.of(runs);
            int best = -1;
            double bestScore = Double.POSITIVE_INFINITY;
            List<List<String>> rows = new ArrayList<>();
            double[] scores = new double[summary.size()];
            for (int i = 0; i < summary.size(); i++) {
                Summary s = summary.get(i);
                // A setting that diverges on any training objective is never chosen.
                double score = s.divergedRuns() > 0 ? Double.POSITIVE_INFINITY
                        : metric.equals("auc") ? s.meanAuc() : s.meanFinalValue();
                if (!Double.isFinite(score)) {
                    score = Double.POSITIVE_INFINITY;
                }
                scores[i] = score;
                if (score < bestScore) {
                    bestScore = score;
                    best = i;
                }
                List<String> row = new ArrayList<>(s.cells());
                row.add(Double.toString(score));
                rows.add(row);
            }
            List<String> header = new ArrayList<>(Summary.COLUMNS);
            header.add("score");
            Files.write(staged.file("grid.csv"), Csv.bytes(header, rows));
            if (best < 0) {
                throw new org.l2o.api.DivergenceException("every grid point diverged on some training objective; "
                        + "try smaller step sizes (grid.csv was not kept)");
            }
            Files.write(staged.file("tuned.json"), json(specs, summary, scores, best));
            staged.commit();
            OptimizerSpec winner = specs.get(best);
            console.out().printf("best: %s (mean %s %.6g over %d training objectives)%n", winner.text(), metric,
                    bestScore, seeds);
            console.out().println("tuned: " + staged.target().resolve("tuned.json"));
            console.out().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results into " + out, e);
        }
        return 0;
    }

    private byte[] json(List<OptimizerSpec> specs, List<Summary> summary, double[] scores, int best) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("format", "l2o-tuned");
        root.put("version", 1);
        root.put("optimizer", specs.get(best).id());
        root.put("spec", specs.get(best).text());
        root.set("parameters", mapper.valueToTree(specs.get(best).parameters()));
        root.put("score", scores[best]);
        root.put("metric", metric);
        root.put("objective", objective.objective);
        root.set("objectiveParameters", mapper.valueToTree(objective.params));
        root.put("steps", steps);
        root.put("seeds", seeds);
        root.put("seed", seed);
        root.put("split", "train");
        ArrayNode grid = root.putArray("grid");
        for (int i = 0; i < specs.size(); i++) {
            ObjectNode g = grid.addObject();
            g.put("spec", specs.get(i).text());
            g.put("score", Double.isFinite(scores[i]) ? scores[i] : null);
            g.put("meanAuc", finite(summary.get(i).meanAuc()));
            g.put("meanFinalValue", finite(summary.get(i).meanFinalValue()));
            g.put("divergedRuns", summary.get(i).divergedRuns());
        }
        return mapper.writeValueAsBytes(root);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
