package org.l2o.runtime.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.DataFormatException;
import org.l2o.api.ParameterSpec;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainer;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingLoop;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.PolicyCapability;
import org.l2o.api.update.PolicyClassProvider;
import org.l2o.api.update.RemoteRecords;
import org.l2o.api.update.RemoteTask;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.ArrowSamples;
import org.l2o.runtime.io.LearnedOptimizerFile;
import org.l2o.runtime.io.StagedOutput;

/**
 * One meta-training job, as {@code l2o train}, every experiment and {@code demo} run it: the
 * trainer, its policy class and feature map (the trainer's declared defaults unless named), checked
 * against each other and validated before any work; then the request, and either a run in memory or
 * a run with files: {@code FILE.l2o} rewritten at every checkpoint, {@code FILE.l2o.checkpoint}
 * (atomic, with the job's identity so {@code --resume} refuses a different command) and the sample
 * trajectories in {@code FILE.l2o.samples/}. Never branches on a plugin's id.
 *
 * <p>Immutable once built; {@link #run} may be called more than once.
 */
public final class MetaTrainingJob {

    /** The checkpoint file's format version; version 1 held a trainer's own state format. */
    static final int CHECKPOINT_VERSION = 2;

    private final MetaTrainerProvider trainer;
    private final Config trainerConfig;
    private final String policySpec;
    private final PolicyClassProvider policy;
    private final Config policyConfig;
    private final String featureSpec;
    private final FeatureMapProvider features;
    private final Config featureConfig;
    private final String objective;
    private final Map<String, String> objectiveParameters;
    private final int trainObjectives;
    private final int steps;
    private final long seed;
    private final long innerStepBudget;
    private final CreationContext context;
    /** The family that scores candidates where the job names one (null: the training family's held-out tasks). */
    private final MetaTrainingRequest.Validation validation;

    private MetaTrainingJob(Builder b) {
        PluginRegistry registry = Objects.requireNonNull(b.registry, "registry");
        this.trainer = registry.get(MetaTrainerProvider.class, Objects.requireNonNull(b.trainer, "trainer"));
        this.trainerConfig = trainer.configure(b.trainerParameters);
        OptimizerSpec ps = b.policyId != null ? new OptimizerSpec(b.policyId, b.policyId, b.policyParameters)
                : OptimizerSpec.parse(b.policySpec != null ? b.policySpec : trainer.defaultPolicy());
        this.policySpec = ps.text();
        this.policy = registry.policyClass(ps.id());
        this.policyConfig = policy.configure(ps.parameters());
        Set<PolicyCapability> missing = new TreeSet<>(trainer.requiredCapabilities());
        missing.removeAll(policy.capabilities());
        if (!missing.isEmpty()) {
            throw new ConfigurationException("trainer '" + trainer.id() + "' needs a policy that is "
                    + labels(trainer.requiredCapabilities()) + "; policy '" + policy.id() + "' is "
                    + labels(policy.capabilities()) + " (the trainer's default is " + trainer.defaultPolicy() + ")");
        }
        OptimizerSpec fs = b.featureId != null ? new OptimizerSpec(b.featureId, b.featureId, b.featureParameters)
                : OptimizerSpec.parse(b.featureSpec != null ? b.featureSpec : trainer.defaultFeatures());
        this.featureSpec = fs.text();
        this.features = registry.get(FeatureMapProvider.class, fs.id());
        this.featureConfig = features.configure(fs.parameters());
        this.objective = Objects.requireNonNull(b.objective, "objective");
        this.objectiveParameters = Map.copyOf(b.objectiveParameters);
        if (b.trainObjectives <= 0 || b.steps <= 0) {
            throw new ConfigurationException("training objectives and steps must be positive, got "
                    + b.trainObjectives + " and " + b.steps);
        }
        this.trainObjectives = b.trainObjectives;
        this.steps = b.steps;
        this.seed = b.seed;
        if (b.innerStepBudget <= 0) {
            throw new ConfigurationException("inner-step budget must be positive, got " + b.innerStepBudget);
        }
        this.innerStepBudget = b.innerStepBudget;
        this.context = b.context != null ? b.context : new CreationContext(Optional.empty(), b.seed);
        if (b.validationObjective != null) {
            ObjectiveProvider provider = registry.objective(b.validationObjective);
            Config config = provider.configure(b.validationParameters);
            this.validation = new MetaTrainingRequest.Validation(provider.create(config, context),
                    b.validationObjective, b.validationParameters);
        } else {
            this.validation = null;
        }
    }

    private static String labels(Set<PolicyCapability> capabilities) {
        return String.join(" and ", capabilities.stream().map(PolicyCapability::label).sorted().toList());
    }

    public static Builder builder(PluginRegistry registry) {
        return new Builder(registry);
    }

    /** The trainer's provider. */
    public MetaTrainerProvider trainer() {
        return trainer;
    }

    /** Runs meta-training in memory on {@code family} (created from this job's objective id and parameters). */
    public MetaTrainingResult run(ObjectiveFamily family, MetaTrainingListener listener) {
        return MetaTrainingLoop.run(newTrainer(), request(family, Optional.empty()), listener, "checkpoint",
                innerStepBudget);
    }

    /**
     * The trainer, with rollouts that carry this job's {@link #origin} with every remote task, so a
     * worker can rebuild the job (see {@link MetaTrainingTask}).
     */
    private MetaTrainer newTrainer() {
        return trainer.create(trainerConfig, context.withRollouts(MetaTrainingTask.carrying(origin(),
                context.rollouts())));
    }

    /**
     * What a worker needs to rebuild this job: the trainer, policy class and feature map with their
     * validated parameters, the objective family's id, raw parameters and data folder, the counts
     * and seeds ({@link MetaTrainingTask#job} reads it).
     */
    byte[] origin() {
        return RemoteRecords.write(out -> {
            out.writeUTF(trainer.id());
            out.texts(trainerConfig.text());
            out.writeUTF(policy.id());
            out.texts(policyConfig.text());
            out.writeUTF(features.id());
            out.texts(featureConfig.text());
            out.writeUTF(objective);
            out.texts(objectiveParameters);
            out.writeUTF(context.dataDirectory().map(Path::toString).orElse(""));
            out.writeLong(context.seed());
            out.writeInt(trainObjectives);
            out.writeInt(steps);
            out.writeLong(seed);
            out.writeUTF(validation == null ? "" : validation.objective());
            out.texts(validation == null ? Map.of() : validation.objectiveParameters());
        });
    }

    /** The job {@link #origin} describes, its plugins from {@code registry}, its rollouts sequential. */
    static MetaTrainingJob fromOrigin(PluginRegistry registry, byte[] origin) {
        return RemoteRecords.read(origin, in -> {
            Builder b = builder(registry);
            b.trainer(in.readUTF(), in.texts());
            b.policy(in.readUTF(), in.texts());
            b.features(in.readUTF(), in.texts());
            b.objective(in.readUTF(), in.texts());
            String data = in.readUTF();
            long contextSeed = in.readLong();
            b.context(new CreationContext(data.isEmpty() ? Optional.empty() : Optional.of(Path.of(data)),
                    contextSeed));
            b.trainObjectives(in.readInt()).steps(in.readInt()).seed(in.readLong());
            String validation = in.readUTF();
            Map<String, String> validationParameters = in.texts();
            return (validation.isEmpty() ? b : b.validation(validation, validationParameters)).build();
        });
    }

    /** On a worker: the family this job trains on, created like the driver's, and the trainer's remote handler. */
    RemoteTask.Handler remoteHandler(PluginRegistry registry) {
        ObjectiveProvider provider = registry.objective(objective);
        ObjectiveFamily family = provider.create(provider.configure(objectiveParameters), context);
        return trainer.create(trainerConfig, context).remote(request(family, Optional.empty()));
    }

    /** The checkpoint that {@code run} with {@code file} writes beside it, and continues from. */
    public static Path checkpointOf(Path file) {
        return Path.of(file + ".checkpoint");
    }

    /**
     * Runs meta-training with files beside {@code file} (see the class comment); continues from its
     * checkpoint when {@code resume}, after checking that it was written by the same job up to the
     * trainer's adjustable parameters (changes to those are printed to {@code notes} when not null
     * and recorded in the learned file's provenance).
     */
    public MetaTrainingResult run(ObjectiveFamily family, Path file, boolean resume, boolean samples,
                                  MetaTrainingListener listener, PrintWriter notes) {
        Path checkpoint = checkpointOf(file);
        ObjectNode identity = identity();
        Optional<byte[]> state = Optional.empty();
        List<String> history = new ArrayList<>();
        if (resume) {
            state = Optional.of(readCheckpoint(checkpoint, identity, Map.of("trainerParameters", trainer.parameters(),
                    "policyParameters", policy.parameters(), "featureParameters", features.parameters()),
                    trainer.adjustableOnResume(), history, notes));
        }
        // a resumed run whose adjustable parameters changed says so in the learned file's provenance
        UnaryOperator<LearnedOptimizer> stamped = lo -> history.isEmpty() ? lo
                : lo.withProvenance(lo.provenance().withHistory(history));
        MetaTrainingResult result;
        try (ArrowSamples sampleFiles = samples ? new ArrowSamples(Path.of(file + ".samples")) : null) {
            MetaTrainingListener withFiles = new MetaTrainingListener() {
                int current = -1;

                @Override
                public void iteration(int iteration, int total, Map<String, Double> metrics) {
                    if (sampleFiles != null) {
                        sampleFiles.finish();
                    }
                    listener.iteration(iteration, total, metrics);
                }

                @Override
                public void checkpoint(int iteration, byte[] bytes, LearnedOptimizer current) {
                    writeCheckpoint(checkpoint, identity, history, iteration, bytes);
                    // the learned file as it stands (the trainer's chosen weights), so a long run
                    // can be evaluated while it goes on; both files are replaced atomically
                    LearnedOptimizerFile.write(file, stamped.apply(current));
                    listener.checkpoint(iteration, bytes, current);
                }

                @Override
                public void sample(int iteration, int condition, int sample, int step, double cost, double[] phi,
                                   double[] action) {
                    if (sampleFiles != null) {
                        if (iteration != current) {
                            sampleFiles.begin(iteration);
                            current = iteration;
                        }
                        sampleFiles.add(iteration, condition, sample, step, cost, phi, action);
                    }
                    listener.sample(iteration, condition, sample, step, cost, phi, action);
                }

                @Override
                public void message(String text) {
                    listener.message(text);
                }
            };
            // the loop itself, so a corrupt state names the checkpoint file
            result = MetaTrainingLoop.run(newTrainer(), request(family, state), withFiles,
                    checkpoint.toString(), innerStepBudget);
        }
        LearnedOptimizer last = stamped.apply(result.optimizer());
        LearnedOptimizerFile.write(file, last);
        return new MetaTrainingResult(last, result.history());
    }

    private MetaTrainingRequest request(ObjectiveFamily family, Optional<byte[]> resume) {
        return new MetaTrainingRequest(family, objective, objectiveParameters, trainObjectives, steps, seed,
                new MetaTrainingRequest.PolicyClass(policy.id(), policy, policyConfig),
                new MetaTrainingRequest.Features(features.id(), featureConfig, features.create(featureConfig, context)),
                resume, Optional.ofNullable(validation));
    }

    /** What a checkpoint must match for {@code --resume}: every choice of the command but the budget. */
    private ObjectNode identity() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode id = json.createObjectNode();
        id.put("trainer", trainer.id());
        id.set("trainerParameters", json.valueToTree(new TreeMap<>(trainerConfig.text())));
        id.put("objective", objective);
        id.set("objectiveParameters", json.valueToTree(new TreeMap<>(objectiveParameters)));
        // the ids: the parameters, defaults filled in, are compared on their own
        id.put("policy", OptimizerSpec.parse(policySpec).id());
        id.set("policyParameters", json.valueToTree(new TreeMap<>(policyConfig.text())));
        id.put("features", OptimizerSpec.parse(featureSpec).id());
        id.set("featureParameters", json.valueToTree(new TreeMap<>(featureConfig.text())));
        id.put("trainObjectives", trainObjectives);
        id.put("steps", steps);
        id.put("seed", seed);
        if (validation != null) {
            // absent for jobs validated on the training family, so their earlier checkpoints still match
            id.put("validationObjective", validation.objective());
            id.set("validationObjectiveParameters", json.valueToTree(new TreeMap<>(validation.objectiveParameters())));
        }
        return id;
    }

    private static void writeCheckpoint(Path file, ObjectNode identity, List<String> history, int iteration,
                                        byte[] state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                ObjectNode meta = identity.deepCopy();
                meta.put("format", "l2o-checkpoint");
                meta.put("version", CHECKPOINT_VERSION);
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
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    /** The object with its fields in name order, as identity() writes parameter maps. */
    private static ObjectNode sorted(ObjectNode node) {
        ObjectNode out = node.objectNode();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        Collections.sort(names);
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
                                         Set<String> adjustable, List<String> history, PrintWriter notes) {
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
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new DataFormatException(file + ": corrupt checkpoint.json");
            }
            if (!"l2o-checkpoint".equals(meta.path("format").asText())) {
                throw new DataFormatException(file + ": not an l2o checkpoint");
            }
            int version = meta.path("version").asInt();
            if (version != CHECKPOINT_VERSION) {
                throw new DataFormatException(file + ": checkpoint version " + version + " was written by another "
                        + "l2o release (this one reads version " + CHECKPOINT_VERSION + "); start again without --resume");
            }
            for (JsonNode line : meta.path("history")) {
                history.add(line.asText());
            }
            List<String> changes = new ArrayList<>();
            var names = identity.fieldNames();
            while (names.hasNext()) {
                String key = names.next();
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
                if (key.equals("trainerParameters")) {
                    // the trainer's adjustable parameters (the iteration budget at least) may change
                    ObjectNode w = ((ObjectNode) want).deepCopy();
                    ObjectNode h = have instanceof ObjectNode o ? o.deepCopy() : null;
                    for (String name : new TreeSet<>(adjustable)) {
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
                if ((key.equals("policy") || key.equals("features")) && have != null && have.isTextual()) {
                    // checkpoints before 2026-12 recorded the SPEC as given; its id is what identifies it
                    have = new com.fasterxml.jackson.databind.node.TextNode(OptimizerSpec.parse(have.asText()).id());
                }
                // compare as JSON text: numbers read back may have another node type than written
                if (have == null || !want.toString().equals(have.toString())) {
                    throw new ConfigurationException("--resume: " + file + " was written with " + key + " = " + have
                            + ", this command has " + want);
                }
            }
            if (meta.has("validationObjective") && !identity.has("validationObjective")) {
                throw new ConfigurationException("--resume: " + file + " was written with validationObjective = "
                        + meta.get("validationObjective") + ", this command validates on the training family");
            }
            if (!changes.isEmpty()) {
                history.add("resumed after iteration " + (meta.path("iteration").asInt() + 1) + " with "
                        + String.join(", ", changes));
            }
            try (InputStream in = zip.getInputStream(stateEntry)) {
                return in.readAllBytes();
            }
        } catch (ZipException e) {
            throw new DataFormatException(file + ": not a zip archive");
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Builds a job; every plugin id and parameter is validated by {@link #build()}. */
    public static final class Builder {
        private final PluginRegistry registry;
        private String trainer;
        private Map<String, String> trainerParameters = Map.of();
        private String policySpec;
        private String policyId;
        private Map<String, String> policyParameters = Map.of();
        private String featureSpec;
        private String featureId;
        private Map<String, String> featureParameters = Map.of();
        private String objective;
        private Map<String, String> objectiveParameters = Map.of();
        private int trainObjectives;
        private int steps;
        private long innerStepBudget = Long.MAX_VALUE;
        private long seed;
        private CreationContext context;
        private String validationObjective;
        private Map<String, String> validationParameters = Map.of();

        private Builder(PluginRegistry registry) {
            this.registry = registry;
        }

        /** The meta-trainer and its raw parameters. */
        public Builder trainer(String id, Map<String, String> parameters) {
            this.trainer = id;
            this.trainerParameters = Map.copyOf(parameters);
            return this;
        }

        /** The policy class as a SPEC; null keeps the trainer's default. */
        public Builder policy(String spec) {
            this.policySpec = spec;
            this.policyId = null;
            return this;
        }

        /** The policy class by id and raw parameters. */
        public Builder policy(String id, Map<String, String> parameters) {
            this.policyId = id;
            this.policyParameters = Map.copyOf(parameters);
            this.policySpec = null;
            return this;
        }

        /** The feature map as a SPEC; null keeps the trainer's default. */
        public Builder features(String spec) {
            this.featureSpec = spec;
            this.featureId = null;
            return this;
        }

        /** The feature map by id and raw parameters. */
        public Builder features(String id, Map<String, String> parameters) {
            this.featureId = id;
            this.featureParameters = Map.copyOf(parameters);
            this.featureSpec = null;
            return this;
        }

        /** The objective family's id and raw parameters, as recorded in provenance. */
        public Builder objective(String id, Map<String, String> parameters) {
            this.objective = id;
            this.objectiveParameters = Map.copyOf(parameters);
            return this;
        }

        /**
         * Scores the trainer's candidates on the training stream of this objective family instead of
         * on held-out tasks of the training family (for example the training architecture itself,
         * where the training family varies it); null keeps the training family's.
         */
        public Builder validation(String id, Map<String, String> parameters) {
            this.validationObjective = id;
            this.validationParameters = parameters == null ? Map.of() : Map.copyOf(parameters);
            return this;
        }

        public Builder trainObjectives(int count) {
            this.trainObjectives = count;
            return this;
        }

        /** The meta-training horizon T. */
        public Builder steps(int horizon) {
            this.steps = horizon;
            return this;
        }

        /**
         * Stop after the iteration whose inner optimizer steps bring the total to {@code budget} (the
         * trainers' shared budget, {@link MetaTrainingLoop#INNER_STEPS}); by default the trainer's
         * iterations alone end the run.
         */
        public Builder innerStepBudget(long budget) {
            this.innerStepBudget = budget;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** What plugins are created with (data directory); by default none and the job's seed. */
        public Builder context(CreationContext value) {
            this.context = value;
            return this;
        }

        public MetaTrainingJob build() {
            return new MetaTrainingJob(this);
        }
    }
}
