package org.l2o.runtime.cli;

import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.l2o.api.ConfigurationException;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.run.MetaTrainingJob;
import org.l2o.runtime.run.OpenRollouts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


/**
 * {@code l2o train}: meta-trains an optimizer and writes it as a learned-optimizer file, with a
 * checkpoint after every iteration ({@code FILE.checkpoint}, written atomically; {@code --resume}
 * continues from it) and the sample trajectories as Arrow files in {@code FILE.samples/}. With
 * {@code --cluster}, a trainer whose rollouts can travel (PES) runs them on the workers too; the
 * learned optimizer is the same.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Meta-train an optimizer on training objectives of a family.",
            "Writes FILE.l2o (usable as --optimizer learned:FILE.l2o), FILE.l2o.checkpoint and FILE.l2o.samples/."})
public final class TrainCommand implements Callable<Integer> {

    private final PluginRegistry registry;
    private final Console console;

    @Option(names = "--trainer", defaultValue = "gps", description = "meta-trainer id (default: ${DEFAULT-VALUE})")
    String trainer;

    @Mixin
    ObjectiveOptions objective = new ObjectiveOptions();

    @Option(names = "--validation-objective", paramLabel = "ID", description = "score the trainer's candidates on "
            + "this objective family's training stream (e.g. the training architecture, where --objective is a task "
            + "family around it) instead of held-out objectives of --objective")
    String validationObjective;

    @Option(names = "--validation-param", paramLabel = "KEY=VALUE",
            description = "parameter of --validation-objective (repeatable)")
    Map<String, String> validationParams = new LinkedHashMap<>();

    @Option(names = "--train-objectives", defaultValue = "90", description = "training objectives (default: ${DEFAULT-VALUE})")
    int trainObjectives;

    @Option(names = "--steps", defaultValue = "40", description = "horizon T of meta-training (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--samples", description = "trajectories per objective per iteration (trainer parameter 'samples')")
    Integer samples;

    @Option(names = "--iterations", description = "meta-training iterations (trainer parameter 'iterations')")
    Integer iterations;

    @Option(names = "--inner-steps", paramLabel = "N", description = "stop once the inner optimizer steps spent "
            + "reach N (the budget every trainer reports; compare trainers at equal N); --iterations still bounds the run")
    Long innerSteps;

    @Option(names = "--trainer-param", paramLabel = "KEY=VALUE", description = "trainer parameter (repeatable)")
    Map<String, String> trainerParams = new LinkedHashMap<>();

    @Option(names = "--policy", paramLabel = "SPEC",
            description = "policy class SPEC, e.g. mlp:hidden=50 (default: the trainer's, see 'l2o plugins describe TRAINER')")
    String policy;

    @Option(names = "--features", paramLabel = "SPEC",
            description = "feature map SPEC, e.g. lm2016:history=25 (default: the trainer's)")
    String features;

    @Mixin
    ThreadsOption threads = new ThreadsOption();

    @Mixin
    ClusterOption cluster = new ClusterOption();

    @Option(names = "--seed", defaultValue = "0", description = "root seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE.l2o", description = "learned optimizer file")
    Path out;

    @Option(names = "--resume", description = "continue from FILE.l2o.checkpoint")
    boolean resume;

    @Option(names = "--no-samples", description = "do not write the sample trajectories")
    boolean noSamples;

    @Option(names = {"--quiet", "-q"}, description = "no per-iteration progress")
    boolean quiet;

    @Inject
    TrainCommand(PluginRegistry registry, Console console) {
        this.registry = registry;
        this.console = console;
    }

    @Override
    public Integer call() {
        Plans.positive("--train-objectives", trainObjectives);
        Plans.positive("--steps", steps);
        cluster.validate();
        Map<String, String> tparams = new LinkedHashMap<>(trainerParams);
        if (samples != null) {
            tparams.put("samples", samples.toString());
        }
        if (iterations != null) {
            tparams.put("iterations", iterations.toString());
        }
        if (validationObjective == null && !validationParams.isEmpty()) {
            throw new ConfigurationException("--validation-param needs --validation-objective");
        }
        Plans.ObjectivePlan plan = Plans.objective(registry, console, objective, seed);
        try (OpenRollouts rollouts = cluster.open(threads, registry, console, quiet)) {
            return train(plan, tparams, rollouts);
        }
    }

    private Integer train(Plans.ObjectivePlan plan, Map<String, String> tparams, OpenRollouts rollouts) {
        MetaTrainingJob job = MetaTrainingJob.builder(registry).trainer(trainer, tparams).policy(policy)
                .features(features).objective(objective.objective, objective.params).trainObjectives(trainObjectives)
                .validation(validationObjective, validationParams)
                .steps(steps).seed(seed).innerStepBudget(innerSteps == null ? Long.MAX_VALUE : innerSteps)
                .context(plan.context().withRollouts(rollouts)).build();

        Path file = out.toAbsolutePath().normalize();
        Path parent = file.getParent();
        if (Files.isDirectory(file)) {
            throw new ConfigurationException("--out " + out + " is a directory; expected a file name such as run.l2o");
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new ConfigurationException("cannot create the folder of --out " + out + ": " + e.getMessage());
        }
        if (!Files.isWritable(parent)) {
            throw new ConfigurationException("--out " + out + ": folder " + parent + " is not writable");
        }
        MetaTrainingListener progress = new MetaTrainingListener() {
            @Override
            public void iteration(int iteration, int total, Map<String, Double> metrics) {
                if (!quiet) {
                    StringBuilder b = new StringBuilder(String.format("iteration %d/%d:", iteration + 1, total));
                    metrics.forEach((k, v) -> b.append(String.format(" %s=%.6g", k, v)));
                    console.out().println(b);
                    console.out().flush();
                }
            }

            @Override
            public void message(String text) {
                if (!quiet) {
                    console.out().println(text);
                    console.out().flush();
                }
            }
        };
        job.run(plan.create(), file, resume, !noSamples, progress, quiet ? null : console.out());
        console.out().println("learned optimizer: " + file + " (evaluate it with --optimizer learned:" + out + ")");
        console.out().flush();
        return 0;
    }
}
