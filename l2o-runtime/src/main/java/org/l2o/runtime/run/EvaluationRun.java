package org.l2o.runtime.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.l2o.api.CreationContext;
import org.l2o.api.DataFormatException;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.io.LearnedOptimizerFile;
import org.l2o.api.update.RemoteTask;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One evaluation run of {@link Runs} as a {@link RemoteTask}: the objective family's id,
 * parameters and data folder, the root seed, split and seed index, the optimizer SPEC (with the
 * bytes of a learned optimizer's file, which the worker need not have), the horizon and the fixed
 * start if any. A worker rebuilds family and rule from it (once per worker, then cached) and runs
 * exactly what the driver would.
 */
public final class EvaluationRun implements RemoteTask<Runs.Finished> {

    /** The task kind, with the version of its record. */
    public static final String KIND = "evaluate-run/1";

    /**
     * Where the family and the optimizers of an evaluation come from, so a worker can rebuild them:
     * {@code optimizers} are SPECs parallel to the runs' optimizer names ({@code learned:FILE} for a
     * learned optimizer whose name is a label).
     */
    public record Source(String objective, Map<String, String> params, Optional<Path> dataDirectory,
                         List<String> optimizers) {
        public Source {
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
            optimizers = List.copyOf(optimizers);
        }

        /** The same family with these optimizer SPECs. */
        public Source withOptimizers(List<String> specs) {
            return new Source(objective, params, dataDirectory, specs);
        }
    }

    private final Source source;
    private final String name;
    private final Runs.Split split;
    private final long rootSeed;
    private final int seed;
    private final int rule;
    private final int steps;
    private final byte[] learned;
    private final double[] x0;
    private final boolean records;
    private final java.util.concurrent.Callable<Runs.Finished> local;

    /**
     * {@code learned}: the bytes of the rule's learned-optimizer file ({@link #learnedFile}), read
     * once per rule by the caller, or null for a plugin SPEC.
     */
    EvaluationRun(Source source, String name, byte[] learned, Runs.Split split, long rootSeed, int seed, int rule,
                  int steps, double[] x0, boolean records, java.util.concurrent.Callable<Runs.Finished> local) {
        this.source = source;
        this.name = name;
        this.learned = learned;
        this.split = split;
        this.rootSeed = rootSeed;
        this.seed = seed;
        this.rule = rule;
        this.steps = steps;
        this.x0 = x0;
        this.records = records;
        this.local = local;
    }

    @Override
    public Runs.Finished call() throws Exception {
        return local.call();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public byte[] description() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(source.objective());
            out.writeInt(source.params().size());
            for (Map.Entry<String, String> e : source.params().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeUTF(source.dataDirectory().map(p -> p.toAbsolutePath().toString()).orElse(""));
            String spec = source.optimizers().get(rule);
            out.writeUTF(name);
            out.writeUTF(spec);
            out.writeInt(learned == null ? -1 : learned.length);
            if (learned != null) {
                out.write(learned);
            }
            out.writeUTF(split.name());
            out.writeLong(rootSeed);
            out.writeInt(seed);
            out.writeInt(steps);
            out.writeInt(x0 == null ? -1 : x0.length);
            if (x0 != null) {
                for (double v : x0) {
                    out.writeDouble(v);
                }
            }
            out.writeBoolean(records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Runs.Finished result(byte[] encoded) {
        return decode(encoded);
    }

    /** A run's result as {@link #encode} wrote it. */
    static Runs.Finished decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            String runId = in.readUTF();
            String optimizer = in.readUTF();
            String objective = in.readUTF();
            int s = in.readInt();
            double[] values = new double[in.readInt()];
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readDouble();
            }
            long evaluations = in.readLong();
            int horizon = in.readInt();
            int n = in.readInt();
            List<TrajectoryRecord> recs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                recs.add(new TrajectoryRecord(runId, optimizer, objective, s, in.readInt(), in.readDouble(),
                        in.readDouble(), in.readDouble(), in.readDouble(), in.readLong(), in.readLong()));
            }
            return new Runs.Finished(new RunResult(runId, optimizer, objective, s, values, evaluations, horizon), recs);
        } catch (IOException e) {
            throw new DataFormatException("a worker's " + KIND + " result is malformed: " + e.getMessage());
        }
    }

    /** A run's result and trajectory as bytes (what a worker sends back, what a checkpoint keeps). */
    static byte[] encode(Runs.Finished f) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            RunResult r = f.result();
            out.writeUTF(r.runId());
            out.writeUTF(r.optimizer());
            out.writeUTF(r.objective());
            out.writeInt(r.seed());
            out.writeInt(r.values().length);
            for (double v : r.values()) {
                out.writeDouble(v);
            }
            out.writeLong(r.evaluations());
            out.writeInt(r.steps());
            out.writeInt(f.records().size());
            for (TrajectoryRecord t : f.records()) {
                out.writeInt(t.step());
                out.writeDouble(t.value());
                out.writeDouble(t.observedValue());
                out.writeDouble(t.gradNorm());
                out.writeDouble(t.stepNorm());
                out.writeLong(t.evaluations());
                out.writeLong(t.wallNanos());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The bytes of a {@code learned:} SPEC's file, or null for a plugin SPEC. */
    static byte[] learnedFile(String spec) {
        OptimizerSpec s = OptimizerSpec.parse(spec);
        if (!s.id().equals(OptimizerSpec.LEARNED)) {
            return null;
        }
        Path file = LearnedOptimizers.locate(s.parameters().get("file"));
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A worker's side: runs descriptions with its own plugins, caching families and rules. */
    public static Function<byte[], byte[]> handler(PluginRegistry registry) {
        // a worker outlives jobs: keep the latest few families (their data), rules and objectives
        Map<String, ObjectiveFamily> families = recent(4);
        Map<String, UpdateRule> rules = recent(64);
        Map<String, Objective> objectives = recent(256);
        return description -> {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(description))) {
                String objective = in.readUTF();
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = in.readInt(); i > 0; i--) {
                    params.put(in.readUTF(), in.readUTF());
                }
                String data = in.readUTF();
                String name = in.readUTF();
                String spec = in.readUTF();
                int learnedLength = in.readInt();
                byte[] learned = learnedLength < 0 ? null : in.readNBytes(learnedLength);
                Runs.Split split = Runs.Split.valueOf(in.readUTF());
                long rootSeed = in.readLong();
                int seed = in.readInt();
                int steps = in.readInt();
                int x0Length = in.readInt();
                double[] x0 = null;
                if (x0Length >= 0) {
                    x0 = new double[x0Length];
                    for (int i = 0; i < x0Length; i++) {
                        x0[i] = in.readDouble();
                    }
                }
                boolean withRecords = in.readBoolean();
                Optional<Path> dataDirectory = data.isEmpty() ? Optional.empty() : Optional.of(Path.of(data));
                CreationContext context = new CreationContext(dataDirectory, rootSeed, RolloutExecutor.sequential());
                String familyKey = objective + params + "|" + data + "|" + rootSeed;
                ObjectiveFamily family = families.computeIfAbsent(familyKey, k -> {
                    ObjectiveProvider provider = registry.objective(objective);
                    return provider.create(provider.configure(params), context);
                });
                UpdateRule rule = rules.computeIfAbsent(name + "|" + spec + "|" + digest(learned) + "|" + family.id(),
                        k -> learned == null ? OptimizerSpec.parse(spec).create(registry, context)
                                : LearnedOptimizers.rule(name, readLearned(learned), registry, context));
                Optional<INDArray> fixed = Optional.ofNullable(x0).map(Nd4j::createFromArray);
                Objective f = objectives.computeIfAbsent(familyKey + "|" + split + "|" + seed,
                        k -> Runs.objective(family, split, rootSeed, seed));
                return encode(Runs.execute(family, f, Runs.start(f, split, rootSeed, seed, fixed), split, rootSeed,
                        seed, name, rule, steps, withRecords));
            } catch (IOException e) {
                throw new DataFormatException("a malformed " + KIND + " description: " + e.getMessage());
            }
        };
    }

    /** A thread-safe map that forgets its least recently used entries beyond {@code capacity}. */
    static <V> Map<String, V> recent(int capacity) {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        });
    }

    /** A learned optimizer sent as its file's bytes (read through a temporary file: the format is a zip). */
    private static org.l2o.api.meta.LearnedOptimizer readLearned(byte[] bytes) {
        try {
            Path file = Files.createTempFile("l2o-learned-", ".l2o");
            try {
                Files.write(file, bytes);
                return LearnedOptimizerFile.read(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage a learned optimizer sent by the driver", e);
        }
    }

    static String digest(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
