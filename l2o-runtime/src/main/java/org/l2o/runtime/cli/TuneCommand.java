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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.l2o.api.ConfigurationException;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.Csv;
import org.l2o.runtime.io.StagedOutput;
import org.l2o.runtime.run.EvaluationRun;
import org.l2o.runtime.run.OpenRollouts;
import org.l2o.runtime.run.OptimizerSpec;
import org.l2o.runtime.run.RunCheckpoint;
import org.l2o.runtime.run.Summary;
import org.l2o.runtime.run.Tuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code l2o tune}: grid search of an optimizer's hyperparameters on training objectives, the way
 * the papers tune every baseline before comparing (Li & Malik 2016, the baselines; Li & Malik 2017, the baselines).
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

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Mixin
    ClusterOption cluster = new ClusterOption();

    @Option(names = "--resume", description = "continue an earlier run of this command into --out that stopped "
            + "(its finished runs are kept beside --out until the command succeeds)")
    boolean resume;

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

    @Override
    public Integer call() {
        Plans.positive("--steps", steps);
        Plans.positive("--seeds", seeds);
        cluster.validate();
        if (!metric.equals("auc") && !metric.equals("final")) {
            throw new ConfigurationException("--metric " + metric + ": expected auc or final");
        }
        Plans.ObjectivePlan plan = Plans.objective(registry, console, objective, seed);
        List<OptimizerSpec> specs = Tuning.specs(OptimizerSpec.parse(optimizer), grid);
        List<UpdateRule> rules = Plans.rules(registry, specs, plan.context());
        try (StagedOutput staged = StagedOutput.open(out)) {
            ObjectiveFamily family = plan.create();
            Plans.checkRules(rules, family, seed);
            Tuning.Result result;
            EvaluationRun.Source source = new EvaluationRun.Source(objective.objective, objective.params,
                    plan.context().dataDirectory(), specs.stream().map(OptimizerSpec::text).toList());
            RunCheckpoint checkpoint = RunCheckpoint.open(out, RunCheckpoint.identity("tune", source, "steps=" + steps,
                    "seeds=" + seeds, "seed=" + seed), resume, line -> {
                        console.err().println(line);
                        console.err().flush();
                    });
            try (checkpoint;
                 Progress progress = Progress.start("tune", (long) specs.size() * seeds, quiet);
                 OpenRollouts rollouts = cluster.open(threads, registry, console, quiet)) {
                result = Tuning.run(registry, plan.context(), family, Optional.of(source), specs, seeds, steps, seed,
                        metric.equals("final"), (r, done, total) -> progress.stepTo(done, r.optimizer()), rollouts,
                        checkpoint);
            }
            List<List<String>> rows = new ArrayList<>();
            for (Tuning.Point p : result.points()) {
                List<String> row = new ArrayList<>(p.summary().cells());
                row.add(Double.toString(p.score()));
                rows.add(row);
            }
            List<String> header = new ArrayList<>(Summary.COLUMNS);
            header.add("score");
            Files.write(staged.file("grid.csv"), Csv.bytes(header, rows));
            Tuning.Point winner = result.winner().orElseThrow(() -> new org.l2o.api.DivergenceException(
                    "every grid point diverged on some training objective; try smaller step sizes"));
            Files.write(staged.file("tuned.json"), json(result));
            staged.commit();
            checkpoint.delete();
            console.out().printf("best: %s (mean %s %.6g over %d training objectives)%n", winner.spec().text(), metric,
                    winner.score(), seeds);
            console.out().println("tuned: " + staged.target().resolve("tuned.json"));
            console.out().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results into " + out, e);
        }
        return 0;
    }

    private byte[] json(Tuning.Result result) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Tuning.Point best = result.winner().orElseThrow();
        ObjectNode root = mapper.createObjectNode();
        root.put("format", "l2o-tuned");
        root.put("version", 1);
        root.put("optimizer", best.spec().id());
        root.put("spec", best.spec().text());
        root.set("parameters", mapper.valueToTree(best.spec().parameters()));
        root.put("score", best.score());
        root.put("metric", metric);
        root.put("objective", objective.objective);
        root.set("objectiveParameters", mapper.valueToTree(objective.params));
        root.put("steps", steps);
        root.put("seeds", seeds);
        root.put("seed", seed);
        root.put("split", "train");
        ArrayNode grid = root.putArray("grid");
        for (Tuning.Point p : result.points()) {
            ObjectNode g = grid.addObject();
            g.put("spec", p.spec().text());
            g.put("score", Double.isFinite(p.score()) ? p.score() : null);
            g.put("meanAuc", finite(p.summary().meanAuc()));
            g.put("meanFinalValue", finite(p.summary().meanFinalValue()));
            g.put("divergedRuns", p.summary().divergedRuns());
        }
        return mapper.writeValueAsBytes(root);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
