package org.l2o.runtime.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.l2o.api.DataFormatException;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.api.trajectory.TrajectorySink;

/**
 * Trajectories as an Arrow IPC file (random-access "file" format), one row per (run, step), in
 * record batches of {@value #BATCH} rows. Columns: run_id, optimizer, objective (utf8), seed
 * (int64), step (int32), value, observed_value, grad_norm, step_norm (float64), evaluations,
 * wall_nanos (int64). Any Arrow implementation (pyarrow, arrow-rs, ...) reads it.
 */
public final class ArrowTrajectories {

    /** Rows per record batch. */
    public static final int BATCH = 8192;

    /** The file schema. */
    public static final Schema SCHEMA = new Schema(List.of(
            utf8("run_id"), utf8("optimizer"), utf8("objective"),
            field("seed", new ArrowType.Int(64, true)), field("step", new ArrowType.Int(32, true)),
            float64("value"), float64("observed_value"), float64("grad_norm"), float64("step_norm"),
            field("evaluations", new ArrowType.Int(64, true)), field("wall_nanos", new ArrowType.Int(64, true))));

    private ArrowTrajectories() {
    }

    private static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.notNullable(type), null);
    }

    private static Field utf8(String name) {
        return field(name, ArrowType.Utf8.INSTANCE);
    }

    private static Field float64(String name) {
        return field(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
    }

    /** Opens a writer on {@code file} (created or truncated). Close it to finish the file. */
    public static TrajectorySink writer(Path file) {
        return new Writer(file);
    }

    private static final class Writer implements TrajectorySink {
        private final BufferAllocator allocator = new RootAllocator();
        private final FileChannel channel;
        private final VectorSchemaRoot root;
        private final ArrowFileWriter writer;
        private final List<TrajectoryRecord> pending = new ArrayList<>(BATCH);
        private boolean closed;

        Writer(Path file) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                root = VectorSchemaRoot.create(SCHEMA, allocator);
                writer = new ArrowFileWriter(root, null, channel);
                writer.start();
            } catch (IOException e) {
                allocator.close();
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        @Override
        public void accept(TrajectoryRecord r) {
            if (closed) {
                throw new IllegalStateException("trajectory writer is closed");
            }
            pending.add(r);
            if (pending.size() == BATCH) {
                flush();
            }
        }

        private void flush() {
            if (pending.isEmpty()) {
                return;
            }
            root.allocateNew();
            VarCharVector runId = (VarCharVector) root.getVector("run_id");
            VarCharVector optimizer = (VarCharVector) root.getVector("optimizer");
            VarCharVector objective = (VarCharVector) root.getVector("objective");
            BigIntVector seed = (BigIntVector) root.getVector("seed");
            IntVector step = (IntVector) root.getVector("step");
            Float8Vector value = (Float8Vector) root.getVector("value");
            Float8Vector observed = (Float8Vector) root.getVector("observed_value");
            Float8Vector grad = (Float8Vector) root.getVector("grad_norm");
            Float8Vector stepNorm = (Float8Vector) root.getVector("step_norm");
            BigIntVector evals = (BigIntVector) root.getVector("evaluations");
            BigIntVector wall = (BigIntVector) root.getVector("wall_nanos");
            for (int i = 0; i < pending.size(); i++) {
                TrajectoryRecord r = pending.get(i);
                runId.setSafe(i, r.runId().getBytes(StandardCharsets.UTF_8));
                optimizer.setSafe(i, r.optimizer().getBytes(StandardCharsets.UTF_8));
                objective.setSafe(i, r.objective().getBytes(StandardCharsets.UTF_8));
                seed.setSafe(i, r.seed());
                step.setSafe(i, r.step());
                value.setSafe(i, r.value());
                observed.setSafe(i, r.observedValue());
                grad.setSafe(i, r.gradNorm());
                stepNorm.setSafe(i, r.stepNorm());
                evals.setSafe(i, r.evaluations());
                wall.setSafe(i, r.wallNanos());
            }
            root.setRowCount(pending.size());
            try {
                writer.writeBatch();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write trajectory batch", e);
            }
            pending.clear();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                flush();
                writer.end();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish trajectory file", e);
            } finally {
                writer.close();
                root.close();
                allocator.close();
            }
        }
    }

    /** Reads every record of a trajectory file written by {@link #writer}. */
    public static List<TrajectoryRecord> read(Path file) {
        List<TrajectoryRecord> out = new ArrayList<>();
        // An uncompressed IPC file decodes to about its own size; the bound turns a corrupt length in
        // the file into Arrow's allocation error instead of a request for gigabytes of native memory.
        long limit;
        try {
            limit = Math.max(64L << 20, 4 * java.nio.file.Files.size(file));
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": no such file");
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read Arrow file: " + e.getMessage(), e);
        }
        try (BufferAllocator allocator = new RootAllocator(limit);
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            if (!root.getSchema().equals(SCHEMA)) {
                throw new DataFormatException(file + ": not an l2o trajectory file (schema " + root.getSchema() + ")");
            }
            while (reader.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++) {
                    out.add(new TrajectoryRecord(
                            new String(((VarCharVector) root.getVector("run_id")).get(i), StandardCharsets.UTF_8),
                            new String(((VarCharVector) root.getVector("optimizer")).get(i), StandardCharsets.UTF_8),
                            new String(((VarCharVector) root.getVector("objective")).get(i), StandardCharsets.UTF_8),
                            ((BigIntVector) root.getVector("seed")).get(i),
                            ((IntVector) root.getVector("step")).get(i),
                            ((Float8Vector) root.getVector("value")).get(i),
                            ((Float8Vector) root.getVector("observed_value")).get(i),
                            ((Float8Vector) root.getVector("grad_norm")).get(i),
                            ((Float8Vector) root.getVector("step_norm")).get(i),
                            ((BigIntVector) root.getVector("evaluations")).get(i),
                            ((BigIntVector) root.getVector("wall_nanos")).get(i)));
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": no such file");
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read Arrow file: " + e.getMessage(), e);
        } catch (DataFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // Arrow reports a truncated or corrupt file with unchecked exceptions of many kinds
            // (invalid magic, bad flatbuffers, out-of-range offsets, oversized allocations)
            throw new DataFormatException(file + ": not a readable Arrow trajectory file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")) + ")", e);
        }
        return out;
    }
}
