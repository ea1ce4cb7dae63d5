package org.l2o.runtime.cli;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.experiment.LiMalik2017;
import org.l2o.runtime.io.StagedOutput;
import org.l2o.runtime.run.ThreadedRollouts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code l2o demo}: a reduced li-malik-2017 run for a new user, on the embedded data: tune SGD,
 * momentum and Adam on a 48-48-10 MNIST net, meta-train an LSTM optimizer with coordinate-group GPS
 * on it, and meta-test all three on a Fashion-MNIST net, at the training horizon and at twice it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A few minutes' tour: learn an optimizer on MNIST with guided policy search, then compare it with "
                + "tuned Adam and momentum on Fashion-MNIST; ends with the path of the report."})
public final class DemoCommand implements Callable<Integer> {

    private final PluginRegistry registry;
    private final Console console;

    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR",
            description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--seed", defaultValue = "0", description = "root seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "folder holding the datasets (default: $L2O_DATA, then the embedded subsets)")
    Path dataDir;

    @Option(names = {"--quiet", "-q"}, description = "no progress messages")
    boolean quiet;

    @Inject
    DemoCommand(PluginRegistry registry, Console console) {
        this.registry = registry;
        this.console = console;
    }

    @Override
    public Integer call() {
        StagedOutput.open(out).close();
        if (!quiet) {
            console.out().println("l2o demo: tune momentum, Adam and AdaGrad on a 48-48-10 net on MNIST, learn an optimizer "
                    + "there with coordinate-group GPS, then compare them with the pretrained learned:mnist-v1 and "
                    + "mnist-v3 on Fashion-MNIST (about a minute on 2 cores)");
            console.out().flush();
        }
        try (ThreadedRollouts rollouts = threads.open()) {
            new LiMalik2017(registry, LiMalik2017.Settings.demo(), seed, console.dataDirectory(dataDir),
                    console.progress(quiet), rollouts).run(out, "l2o demo --out " + out + " --seed " + seed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results into " + out, e);
        }
        console.out().println("report: " + out.resolve("report.html").toAbsolutePath());
        console.out().flush();
        return 0;
    }
}
