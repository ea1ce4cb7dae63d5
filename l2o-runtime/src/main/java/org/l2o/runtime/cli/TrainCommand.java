package org.l2o.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DataFormatException;
import org.l2o.api.ParameterSpec;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainer;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.ArrowSamples;
import org.l2o.runtime.io.LearnedOptimizerFile;
import org.l2o.runtime.io.StagedOutput;
import org.l2o.runtime.run.OptimizerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code l2o train}: meta-trains an optimizer and writes it as a learned-optimizer file, with a
 * checkpoint after every iteration ({@code FILE.checkpoint}, written atomically; {@code --resume}
 * continues from it) and the sample trajectories as Arrow files in {@code FILE.samples/}.
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

    @Option(names = "--train-objectives", defaultValue = "90", description = "training objectives (default: ${DEFAULT-VALUE})")
    int trainObjectives;

    @Option(names = "--steps", defaultValue = "40", description = "horizon T of meta-training (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--samples", description = "trajectories per objective per iteration (trainer parameter 'samples')")
    Integer samples;

    @Option(names = "--iterations", description = "meta-training iterations (trainer parameter 'iterations')")
    Integer iterations;

    @Option(names = "--trainer-param", paramLabel = "KEY=VALUE", description = "trainer parameter (repeatable)")
    Map<String, String> trainerParams = new LinkedHashMap<>();

    @Option(names = "--policy", paramLabel = "SPEC",
            description = "policy class SPEC, e.g. mlp:hidden=50 (default: mlp for gps, lstm-coordinatewise for bptt, "
                    + "lstm-coordinatewise:" + GPS_GROUPS_POLICY + " for gps-groups)")
    String policy;

    @Option(names = "--features", paramLabel = "SPEC",
            description = "feature map SPEC, e.g. lm2016:history=25 (default: lm2016, lm2017 for gps-groups)")
    String features;

    /** The 2017 policy: one LSTM layer of 128 cells on the 3 observation features, one network per group. */
    public static final String GPS_GROUPS_POLICY = "layers=128,preprocess=none,inputs=3,networks=per-group";

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
    public Integer call() throws IOException {
        Plans.positive("--train-objectives", trainObjectives);
        Plans.positive("--steps", steps);
        MetaTrainerProvider tp = registry.get(MetaTrainerProvider.class, trainer);
        Map<String, String> tparams = new LinkedHashMap<>(trainerParams);
        if (samples != null) {
            tparams.put("samples", samples.toString());
        }
        if (iterations != null) {
            tparams.put("iterations", iterations.toString());
        }
        Config trainerConfig = tp.configure(tparams);
        if (policy == null) {
            policy = switch (trainer) {
                case "bptt" -> "lstm-coordinatewise";
                case "gps-groups" -> "lstm-coordinatewise:" + GPS_GROUPS_POLICY;
                default -> "mlp";
            };
        }
        if (features == null) {
            features = trainer.equals("gps-groups") ? "lm2017" : "lm2016";
        }
        OptimizerSpec ps = OptimizerSpec.parse(policy);
        org.l2o.api.PluginProvider pp = registry.policyClass(ps.id());
        Config policyConfig = pp.configure(ps.parameters());
        OptimizerSpec fs = OptimizerSpec.parse(features);
        FeatureMapProvider fp = registry.get(FeatureMapProvider.class, fs.id());
        Config featureConfig = fp.configure(fs.parameters());
        Plans.ObjectivePlan plan = Plans.objective(registry, console, objective, seed);

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
        Path checkpoint = Path.of(file + ".checkpoint");
        ObjectNode identity = identity(trainerConfig, policyConfig, featureConfig);
        Optional<byte[]> state = Optional.empty();
        List<String> history = new java.util.ArrayList<>();
        if (resume) {
            state = Optional.of(readCheckpoint(checkpoint, identity, Map.of("trainerParameters", tp.parameters(),
                    "policyParameters", pp.parameters(), "featureParameters", fp.parameters()),
                    tp.adjustableOnResume(), history, quiet ? null : console.out()));
        }
        // a resumed run whose adjustable parameters changed says so in the learned file's provenance
        java.util.function.UnaryOperator<LearnedOptimizer> stamped = lo -> history.isEmpty() ? lo
                : lo.withProvenance(lo.provenance().withHistory(history));

        MetaTrainer metaTrainer = tp.create(trainerConfig, plan.context());
        ObjectiveFamily family = plan.create();
        MetaTrainingRequest request = new MetaTrainingRequest(family, objective.objective, objective.params,
                trainObjectives, steps, seed, new MetaTrainingRequest.PolicyClass(ps.id(), pp, policyConfig),
                new MetaTrainingRequest.Features(fs.id(), featureConfig, fp.create(featureConfig, plan.context())),
                state);
        MetaTrainingResult result;
        try (ArrowSamples sampleFiles = noSamples ? null : new ArrowSamples(Path.of(file + ".samples"))) {
            MetaTrainingListener listener = new MetaTrainingListener() {
                int current = -1;

                @Override
                public void iteration(int iteration, int total, Map<String, Double> metrics) {
                    if (sampleFiles != null) {
                        sampleFiles.finish();
                    }
                    if (!quiet) {
                        StringBuilder b = new StringBuilder(String.format("iteration %d/%d:", iteration + 1, total));
                        metrics.forEach((k, v) -> b.append(String.format(" %s=%.6g", k, v)));
                        console.out().println(b);
                        console.out().flush();
                    }
                }

                @Override
                public void checkpoint(int iteration, byte[] bytes, LearnedOptimizer current) {
                    writeCheckpoint(checkpoint, identity, history, iteration, bytes);
                    // the learned file as it stands (the trainer's chosen weights), so a long run
                    // can be evaluated while it goes on; both files are replaced atomically
                    LearnedOptimizerFile.write(file, stamped.apply(current));
                }

                @Override
                public void sample(int iteration, int condition, int sample, int step, double cost, double[] phi,
                                   double[] action) {
                    if (sampleFiles == null) {
                        return;
                    }
                    if (iteration != current) {
                        sampleFiles.begin(iteration);
                        current = iteration;
                    }
                    sampleFiles.add(iteration, condition, sample, step, cost, phi, action);
                }

                @Override
                public void message(String text) {
                    if (!quiet) {
                        console.out().println(text);
                        console.out().flush();
                    }
                }
            };
            result = metaTrainer.train(request, listener);
        }
        LearnedOptimizerFile.write(file, stamped.apply(result.optimizer()));
        console.out().println("learned optimizer: " + file + " (evaluate it with --optimizer learned:" + out + ")");
        console.out().flush();
        return 0;
    }

    private ObjectNode identity(Config trainerConfig, Config policyConfig, Config featureConfig) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode id = json.createObjectNode();
        id.put("trainer", trainer);
        id.set("trainerParameters", json.valueToTree(new java.util.TreeMap<>(trainerConfig.text())));
        id.put("objective", objective.objective);
        id.set("objectiveParameters", json.valueToTree(new java.util.TreeMap<>(objective.params)));
        id.put("policy", policy);
        id.set("policyParameters", json.valueToTree(new java.util.TreeMap<>(policyConfig.text())));
        id.put("features", features);
        id.set("featureParameters", json.valueToTree(new java.util.TreeMap<>(featureConfig.text())));
        id.put("trainObjectives", trainObjectives);
        id.put("steps", steps);
        id.put("seed", seed);
        return id;
    }

    private static void writeCheckpoint(Path file, ObjectNode identity, List<String> history, int iteration,
                                        byte[] state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                ObjectNode meta = identity.deepCopy();
                meta.put("format", "l2o-checkpoint");
                meta.put("version", 1);
                meta.put("iteration", iteration);
                if (!history.isEmpty()) {
                    history.forEach(meta.putArray("history")::add);
                }
                zip.putNextEntry(new ZipEntry("checkpoint.json"));
                zip.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("state.bin"));
                zip.write(state);
                zip.closeEntry();
            }
            StagedOutput.writeAtomically(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    /** The object with its fields in name order, as identity() writes parameter maps. */
    private static ObjectNode sorted(ObjectNode node) {
        ObjectNode out = node.objectNode();
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        for (String name : names) {
            out.set(name, node.get(name));
        }
        return out;
    }

    /**
     * The checkpoint's state after checking it was written by the same command, up to the
     * trainer's adjustable parameters. Parameters a plugin gained since the checkpoint was written
     * count as set to their defaults, so adding a parameter does not orphan existing checkpoints.
     * Appends the checkpoint's history, and a line for the adjustable parameters this command
     * changes, to {@code history}.
     */
    private static byte[] readCheckpoint(Path file, ObjectNode identity, Map<String, List<ParameterSpec>> specs,
                                         java.util.Set<String> adjustable, List<String> history,
                                         java.io.PrintWriter notes) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file + ": no checkpoint to resume from");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry metaEntry = zip.getEntry("checkpoint.json");
            ZipEntry stateEntry = zip.getEntry("state.bin");
            if (metaEntry == null || stateEntry == null) {
                throw new DataFormatException(file + ": not an l2o checkpoint");
            }
            JsonNode meta;
            try (InputStream in = zip.getInputStream(metaEntry)) {
                meta = new ObjectMapper().readTree(in);
            }
            if (!"l2o-checkpoint".equals(meta.path("format").asText()) || meta.path("version").asInt() != 1) {
                throw new DataFormatException(file + ": not a version-1 l2o checkpoint");
            }
            for (JsonNode line : meta.path("history")) {
                history.add(line.asText());
            }
            List<String> changes = new java.util.ArrayList<>();
            var names = identity.fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                String ignored = "trainerParameters";
                JsonNode want = identity.get(key);
                JsonNode have = meta.get(key);
                if (have instanceof ObjectNode h && specs.containsKey(key)) {
                    ObjectNode filled = h.deepCopy();
                    for (ParameterSpec spec : specs.get(key)) {
                        if (!filled.has(spec.name()) && spec.defaultValue() != null) {
                            filled.put(spec.name(), spec.defaultValue());
                        }
                    }
                    have = sorted(filled);
                }
                if (key.equals(ignored)) {
                    // the trainer's adjustable parameters (the iteration budget at least) may change
                    ObjectNode w = ((ObjectNode) want).deepCopy();
                    ObjectNode h = have == null ? null : ((ObjectNode) have).deepCopy();
                    for (String name : new java.util.TreeSet<>(adjustable)) {
                        JsonNode before = h == null ? null : h.remove(name);
                        JsonNode now = w.remove(name);
                        if (before != null && now != null && !name.equals("iterations")
                                && !before.asText().equals(now.asText())) {
                            changes.add(name + " " + before.asText() + " -> " + now.asText());
                            if (notes != null) {
                                notes.println("resuming with " + name + " = " + now.asText()
                                        + " (the checkpoint had " + before.asText() + ")");
                            }
                        }
                    }
                    want = w;
                    have = h;
                }
                // compare as JSON text: numbers read back may have another node type than written
                if (have == null || !want.toString().equals(have.toString())) {
                    throw new ConfigurationException("--resume: " + file + " was written with " + key + " = " + have
                            + ", this command has " + want);
                }
            }
            if (!changes.isEmpty()) {
                history.add("resumed after iteration " + (meta.path("iteration").asInt() + 1) + " with "
                        + String.join(", ", changes));
            }
            try (InputStream in = zip.getInputStream(stateEntry)) {
                return in.readAllBytes();
            }
        } catch (java.util.zip.ZipException e) {
            throw new DataFormatException(file + ": not a zip archive");
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage());
        }
    }
}
