package org.l2o.runtime.cli;

import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.l2o.api.ConfigurationException;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.runtime.io.ArrowTrajectories;
import org.l2o.runtime.report.StepTable;
import org.l2o.runtime.run.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code l2o report}: tables computed from a trajectories.arrow file. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Mean true objective per optimizer at chosen steps, from a trajectories.arrow file,",
            "and the share of objectives on which each optimizer beats a reference."})
public final class ReportCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(paramLabel = "FILE", description = "trajectories.arrow written by evaluate or experiment")
    Path file;

    @Option(names = "--at", defaultValue = "10,20,40,100", split = ",", description = "steps (default: ${DEFAULT-VALUE})")
    List<Integer> steps;

    @Option(names = "--reference", paramLabel = "SPEC", description = "optimizer to compare the others with")
    String reference;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "also draw margin.png/svg and loss.png/svg (mean and range over objectives) into DIR")
    Path plots;

    @Inject
    ReportCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        List<TrajectoryRecord> rows = ArrowTrajectories.read(file);
        int maxStep = rows.stream().mapToInt(TrajectoryRecord::step).max().orElse(0);
        List<RunResult> runs = RunResult.fromRecords(rows, maxStep);
        for (int s : steps) {
            if (s < 0 || s > maxStep) {
                throw new ConfigurationException("--at " + s + ": the runs in " + file + " have steps 0.." + maxStep);
            }
        }
        if (reference != null && runs.stream().noneMatch(r -> r.optimizer().equals(reference))) {
            throw new ConfigurationException("--reference " + reference + ": no such optimizer in " + file);
        }
        if (plots != null) {
            try {
                java.nio.file.Files.createDirectories(plots);
            } catch (java.io.IOException e) {
                throw new ConfigurationException("--plots " + plots + ": " + e.getMessage());
            }
            String title = runs.get(0).objective();
            org.l2o.runtime.report.Plots.margins(org.l2o.runtime.report.MarginOfVictory.of(runs),
                    title + ": mean margin of victory", plots.resolve("margin"));
            org.l2o.runtime.report.Plots.lossCurves(org.l2o.runtime.report.Curves.of(runs), title, plots.resolve("loss"));
        }
        for (List<String> row : StepTable.rows(runs, steps.stream().mapToInt(Integer::intValue).toArray(), reference)) {
            console.out().println(String.join(",", row));
        }
        console.out().flush();
        return 0;
    }
}
