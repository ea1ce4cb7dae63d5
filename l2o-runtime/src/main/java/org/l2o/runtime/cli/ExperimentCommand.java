package org.l2o.runtime.cli;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.l2o.api.ConfigurationException;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.experiment.LiMalik2016;
import org.l2o.runtime.io.StagedOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code l2o experiment NAME}: runs one of the papers' experiments end to end. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a paper's experiment end to end: tuning, meta-training, evaluation, plots, report.",
            "Experiments: li-malik-2016. Each problem's folder is written when that problem is complete."})
public final class ExperimentCommand implements Callable<Integer> {

    private final PluginRegistry registry;
    private final Console console;

    @Parameters(paramLabel = "NAME", description = "experiment name: li-malik-2016")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--quick", description = "reduced sizes for a check in a few minutes")
    boolean quick;

    @Option(names = "--iterations", description = "GPS iterations (default: 8, or 2 with --quick)")
    Integer iterations;

    @Option(names = "--seed", defaultValue = "0", description = "root seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--problems", split = ",", paramLabel = "ID,...",
            description = "problems to run (default: logistic-regression,robust-regression,nn-classifier)")
    List<String> problems;

    @Option(names = "--no-contour", description = "skip the 2-D logistic-regression paths")
    boolean noContour;

    @Option(names = {"--quiet", "-q"}, description = "no progress messages")
    boolean quiet;

    @Inject
    ExperimentCommand(PluginRegistry registry, Console console) {
        this.registry = registry;
        this.console = console;
    }

    @Override
    public Integer call() {
        if (!List.of("li-malik-2016").contains(name)) {
            throw new ConfigurationException("unknown experiment '" + name + "' (known: li-malik-2016)");
        }
        LiMalik2016.Settings s = quick ? LiMalik2016.Settings.quick() : LiMalik2016.Settings.full();
        if (iterations != null) {
            Plans.positive("--iterations", iterations);
            s = new LiMalik2016.Settings(s.testObjectives(), s.samples(), iterations, s.policyIterationsFirst(),
                    s.policyIterations(), s.validationObjectives(), s.testSteps(), s.trainFraction(),
                    s.contourTrainObjectives());
        }
        List<String> chosen = problems == null ? LiMalik2016.PROBLEM_IDS : problems;
        for (String p : chosen) {
            if (!LiMalik2016.PROBLEM_IDS.contains(p)) {
                throw new ConfigurationException("--problems: unknown problem '" + p + "' (known: "
                        + String.join(", ", LiMalik2016.PROBLEM_IDS) + ")");
            }
        }
        // Check the folder can be written before hours of work (each problem is staged inside it).
        StagedOutput.open(out).close();
        try {
            java.nio.file.Files.createDirectories(out);
            new LiMalik2016(registry, s, seed, quiet ? m -> { } : m -> {
                console.out().println(m);
                console.out().flush();
            }).run(out, "l2o experiment " + name + " --out " + out + (quick ? " --quick" : "")
                    + (iterations != null ? " --iterations " + iterations : "") + " --seed " + seed
                    + (problems != null ? " --problems " + String.join(",", problems) : "")
                    + (noContour ? " --no-contour" : ""), chosen, !noContour);
            console.out().println("report: " + out.resolve("report.html"));
            console.out().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results into " + out, e);
        }
        return 0;
    }
}
