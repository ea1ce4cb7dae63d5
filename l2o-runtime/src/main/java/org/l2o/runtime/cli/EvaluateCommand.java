package org.l2o.runtime.cli;

import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.trajectory.TrajectorySink;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.ArrowTrajectories;
import org.l2o.runtime.io.Csv;
import org.l2o.runtime.io.StagedOutput;
import org.l2o.runtime.report.Curves;
import org.l2o.runtime.report.Html;
import org.l2o.runtime.report.Plots;
import org.l2o.runtime.run.EvaluationRun;
import org.l2o.runtime.run.OpenRollouts;
import org.l2o.runtime.run.OptimizerSpec;
import org.l2o.runtime.run.RunCheckpoint;
import org.l2o.runtime.run.RunResult;
import org.l2o.runtime.run.Runs;
import org.l2o.runtime.run.Summary;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code l2o evaluate}: runs optimizers on test objectives and writes trajectories, summary, plots and report. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run optimizers on objectives of a family (its test stream) and compare them.",
            "Writes trajectories.arrow, summary.csv, loss.png, loss.svg and report.html into --out."})
public final class EvaluateCommand implements Callable<Integer> {

    private final PluginRegistry registry;
    private final Console console;

    @Spec
    CommandSpec spec;

    @Mixin
    ObjectiveOptions objective = new ObjectiveOptions();

    @Option(names = "--optimizer", required = true, paramLabel = "SPEC",
            description = "optimizer SPEC, ID or ID:key=value,... e.g. adam:lr=0.01 (repeatable)")
    List<String> optimizers = new ArrayList<>();

    @Option(names = "--steps", defaultValue = "100", description = "steps per run (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--seeds", defaultValue = "1", description = "objectives/starts per optimizer (default: ${DEFAULT-VALUE})")
    int seeds;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Mixin
    ClusterOption cluster = new ClusterOption();

    @Option(names = "--seed", defaultValue = "0", description = "root seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--x0", paramLabel = "V1,V2,...", description = "fixed starting point for every run")
    String x0;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = {"--quiet", "-q"}, description = "no progress bar or summary table")
    boolean quiet;

    @Option(names = "--resume", description = "continue an earlier run of this command into --out that stopped "
            + "(its finished runs are kept beside --out until the command succeeds)")
    boolean resume;

    @Inject
    EvaluateCommand(PluginRegistry registry, Console console) {
        this.registry = registry;
        this.console = console;
    }

    @Override
    public Integer call() {
        Plans.positive("--steps", steps);
        Plans.positive("--seeds", seeds);
        cluster.validate();
        Plans.ObjectivePlan plan = Plans.objective(registry, console, objective, seed);
        List<OptimizerSpec> specs = optimizers.stream().map(OptimizerSpec::parse).toList();
        List<UpdateRule> rules = Plans.rules(registry, specs, plan.context());
        List<String> names = specs.stream().map(OptimizerSpec::text).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new org.l2o.api.ConfigurationException("--optimizer: the same SPEC is given twice");
        }
        try (StagedOutput staged = StagedOutput.open(out)) {
            ObjectiveFamily family = plan.create();
            Optional<INDArray> start = Plans.startingPoint(x0, family, seed);
            Plans.checkRules(rules, family, seed);
            List<RunResult> runs;
            EvaluationRun.Source source = new EvaluationRun.Source(objective.objective, objective.params,
                    plan.context().dataDirectory(), names);
            RunCheckpoint checkpoint = RunCheckpoint.open(out, identity(source), resume, line -> {
                console.err().println(line);
                console.err().flush();
            });
            try (checkpoint;
                 Progress progress = Progress.start("evaluate", (long) rules.size() * seeds, quiet);
                 TrajectorySink sink = ArrowTrajectories.writer(staged.file("trajectories.arrow"));
                 OpenRollouts rollouts = cluster.open(threads, registry, console, quiet)) {
                runs = Runs.run(family, Optional.of(source), Runs.Split.TEST, seed, names, rules, seeds, steps, start,
                        sink, (r, done, total) -> progress.stepTo(done, r.optimizer()), rollouts, checkpoint);
            }
            List<Summary> summary = Summary.of(runs);
            List<List<String>> rows = summary.stream().map(Summary::cells).toList();
            Files.write(staged.file("summary.csv"), Csv.bytes(Summary.COLUMNS, rows));
            String title = objective.objective + (objective.params.isEmpty() ? "" : " " + objective.params);
            Plots.lossCurves(Curves.of(runs), title, staged.file("loss"));
            Html html = new Html("l2o evaluate: " + title)
                    .paragraph(seeds + " seed(s), " + steps + " steps; objectives from the family's test stream, root seed "
                            + seed + ". Lines: mean true objective over seeds; thin lines: min and max over seeds.")
                    .code(commandLine())
                    .image("loss.png", "true objective vs step")
                    .heading("Summary")
                    .table(Summary.COLUMNS, rows)
                    .paragraph("auc = sum of true objective values over steps 1..T; a run diverged when its final value "
                            + "is non-finite or above its starting value; evaluations count every objective "
                            + "evaluation the optimizer made, line-search trials included.")
                    .keyValues("Data", family.dataIdentity());
            Files.writeString(staged.file("report.html"), html.render(), StandardCharsets.UTF_8);
            staged.commit();
            checkpoint.delete();
            if (!quiet) {
                printTable(rows);
            }
            console.out().println("report: " + staged.target().resolve("report.html"));
            console.out().flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write results into " + out, e);
        }
        return 0;
    }

    /** What the runs depend on: a checkpoint is resumed only by the same command. */
    private String identity(EvaluationRun.Source source) {
        return RunCheckpoint.identity("evaluate", source, "steps=" + steps, "seeds=" + seeds, "seed=" + seed, "x0=" + x0);
    }

    private String commandLine() {
        return "l2o " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    private void printTable(List<List<String>> rows) {
        console.out().printf("%-40s %16s %16s %16s %9s %12s%n", "optimizer", "mean_final", "std_final", "mean_auc",
                "diverged", "evaluations");
        for (List<String> r : rows) {
            console.out().printf("%-40s %16s %16s %16s %9s %12s%n", r.get(0), r.get(4), r.get(5), r.get(6), r.get(7),
                    r.get(8));
        }
    }
}
