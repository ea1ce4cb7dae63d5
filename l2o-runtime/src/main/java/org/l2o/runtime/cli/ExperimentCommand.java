package org.l2o.runtime.cli;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.l2o.api.ConfigurationException;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.experiment.LiMalik2016;
import org.l2o.runtime.experiment.LiMalik2017;
import org.l2o.runtime.experiment.SettingsFile;
import org.l2o.runtime.io.StagedOutput;
import org.l2o.runtime.run.OpenRollouts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code l2o experiment NAME}: runs one of the papers' experiments end to end. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a paper's experiment end to end: tuning, meta-training, evaluation, plots, report.",
            "Experiments: li-malik-2016 (three problem classes, GPS with the MLP policy), li-malik-2017 (MNIST to "
                    + "other datasets, coordinate-group GPS with the LSTM policy, against BPTT and seven tuned optimizers).",
            "rl-vs-supervised: one policy class (mlp-lopt) meta-trained by gps-groups, bptt and pes on the same MNIST "
                    + "tasks at equal inner-step budgets, beside li-malik-2017's LSTM rows and tuned momentum, Adam and "
                    + "AdaGrad: past the horizon (2T-10T), with noisier gradients, on a larger net and on other datasets.",
            "Each problem's or dataset's folder is written when it is complete."})
public final class ExperimentCommand implements Callable<Integer> {

    private final PluginRegistry registry;
    private final Console console;

    @Parameters(paramLabel = "NAME", description = "experiment name: li-malik-2016, li-malik-2017 or rl-vs-supervised")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--quick", description = "reduced sizes for a check in a few minutes")
    boolean quick;

    @Option(names = "--settings", paramLabel = "FILE.json",
            description = "settings whose keys replace those of the experiment's preset (NAME.json, or NAME-quick.json "
                    + "with --quick, shipped in l2o-runtime under org/l2o/runtime/experiment)")
    Path settings;

    @Option(names = "--iterations", description = "GPS iterations (default: 8, or 2 with --quick)")
    Integer iterations;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Mixin
    ClusterOption cluster = new ClusterOption();

    @Option(names = "--seed", defaultValue = "0", description = "root seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--meta-seed", paramLabel = "S", description = "li-malik-2017, rl-vs-supervised: seed of the "
            + "meta-training alone (every learned row); the tuning and the test runs keep --seed, so two meta-training "
            + "seeds meet the same test runs (default: --seed)")
    Long metaSeed;

    @Option(names = "--problems", split = ",", paramLabel = "ID,...",
            description = "problems to run (default: logistic-regression,robust-regression,nn-classifier)")
    List<String> problems;

    @Option(names = "--no-contour", description = "skip the 2-D logistic-regression paths")
    boolean noContour;

    @Option(names = {"--quiet", "-q"}, description = "no progress messages")
    boolean quiet;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "li-malik-2017: folder holding the datasets (default: $L2O_DATA, then the embedded MNIST and "
                    + "Fashion-MNIST subsets)")
    Path dataDir;

    @Option(names = "--from", paramLabel = "DIR",
            description = "li-malik-2017, rl-vs-supervised: reuse tuned.json and the learned optimizers of a "
                    + "li-malik-2017 run in DIR (same --quick) instead of tuning and meta-training again; dataset "
                    + "folders already complete in --out are read back, not run again")
    Path from;

    @Option(names = "--datasets", split = ",", paramLabel = "NAME,...",
            description = "li-malik-2017, rl-vs-supervised: meta-test on these datasets only")
    List<String> datasets;

    @Inject
    ExperimentCommand(PluginRegistry registry, Console console) {
        this.registry = registry;
        this.console = console;
    }

    @Override
    public Integer call() {
        cluster.validate();
        if (!List.of("li-malik-2016", "li-malik-2017", "rl-vs-supervised").contains(name)) {
            throw new ConfigurationException("unknown experiment '" + name
                    + "' (known: li-malik-2016, li-malik-2017, rl-vs-supervised)");
        }
        if (name.equals("li-malik-2016") && (from != null || datasets != null || metaSeed != null)) {
            throw new ConfigurationException("--from, --datasets and --meta-seed apply to li-malik-2017 and "
                    + "rl-vs-supervised only");
        }
        if (from != null && metaSeed != null) {
            throw new ConfigurationException("--meta-seed with --from: the learned optimizers come from " + from
                    + ", nothing is meta-trained");
        }
        if (!name.equals("li-malik-2016")) {
            if (problems != null || iterations != null || noContour) {
                throw new ConfigurationException("--problems, --iterations and --no-contour apply to li-malik-2016 only");
            }
            LiMalik2017.Settings s17 = LiMalik2017.Settings.of(SettingsFile.of(name + (quick ? "-quick" : ""),
                    Optional.ofNullable(settings)));
            return run2017(s17, "l2o experiment " + name + " --out " + out + (quick ? " --quick" : "") + " --seed "
                    + seed + (metaSeed != null ? " --meta-seed " + metaSeed : "")
                    + (settings != null ? " --settings " + settings : "") + (from != null ? " --from " + from : "")
                    + (datasets != null ? " --datasets " + String.join(",", datasets) : ""));
        }
        LiMalik2016.Settings s = LiMalik2016.Settings.of(SettingsFile.of(name + (quick ? "-quick" : ""),
                Optional.ofNullable(settings)));
        if (iterations != null) {
            Plans.positive("--iterations", iterations);
            s = s.withIterations(iterations);
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
        try (OpenRollouts rollouts = cluster.open(threads, registry, console, quiet)) {
            java.nio.file.Files.createDirectories(out);
            new LiMalik2016(registry, s, seed, console.progress(quiet), rollouts).run(out, "l2o experiment " + name
                    + " --out " + out + (quick ? " --quick" : "")
                    + (settings != null ? " --settings " + settings : "")
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

    private Integer run2017(LiMalik2017.Settings s17, String commandLine) {
        StagedOutput.open(out).close();
        try (OpenRollouts rollouts = cluster.open(threads, registry, console, quiet)) {
            new LiMalik2017(registry, s17, seed, metaSeed != null ? metaSeed : seed, console.dataDirectory(dataDir),
                    console.progress(quiet), rollouts)
                    .run(out, commandLine, Optional.ofNullable(from), datasets == null ? List.of() : datasets);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results into " + out, e);
        }
        console.out().println("report: " + out.resolve("report.html").toAbsolutePath());
        console.out().flush();
        return 0;
    }
}
