package org.l2o.runtime.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Meta-training samples as Arrow IPC files, one per iteration: columns iteration, condition,
 * sample, step (int32), cost (float64, true objective after the action), features and action
 * (list of float64). Each file is written to a temporary name and renamed when complete.
 */
public final class ArrowSamples implements AutoCloseable {

    private static final int BATCH = 4096;

    static final Schema SCHEMA = new Schema(List.of(
            int32("iteration"), int32("condition"), int32("sample"), int32("step"),
            new Field("cost", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null),
            list("features"), list("action")));

    private static Field int32(String name) {
        return new Field(name, FieldType.notNullable(new ArrowType.Int(32, true)), null);
    }

    private static Field list(String name) {
        Field item = new Field("item", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                null);
        return new Field(name, FieldType.notNullable(ArrowType.List.INSTANCE), List.of(item));
    }

    private final Path folder;
    private BufferAllocator allocator;
    private VectorSchemaRoot root;
    private ArrowFileWriter writer;
    private FileChannel channel;
    private Path temporary;
    private Path target;
    private int rows;

    public ArrowSamples(Path folder) {
        this.folder = folder;
    }

    /** Starts the file of one iteration (finishing the previous one). */
    public void begin(int iteration) {
        finish();
        try {
            Files.createDirectories(folder);
            target = folder.resolve(String.format("iteration-%04d.arrow", iteration));
            temporary = folder.resolve(target.getFileName() + ".tmp");
            allocator = new RootAllocator();
            root = VectorSchemaRoot.create(SCHEMA, allocator);
            channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            writer = new ArrowFileWriter(root, null, channel);
            writer.start();
            root.allocateNew();
            rows = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write samples into " + folder, e);
        }
    }

    public void add(int iteration, int condition, int sample, int step, double cost, double[] features, double[] action) {
        ((IntVector) root.getVector("iteration")).setSafe(rows, iteration);
        ((IntVector) root.getVector("condition")).setSafe(rows, condition);
        ((IntVector) root.getVector("sample")).setSafe(rows, sample);
        ((IntVector) root.getVector("step")).setSafe(rows, step);
        ((Float8Vector) root.getVector("cost")).setSafe(rows, cost);
        writeList((ListVector) root.getVector("features"), features);
        writeList((ListVector) root.getVector("action"), action);
        rows++;
        if (rows == BATCH) {
            flush();
        }
    }

    private void writeList(ListVector v, double[] values) {
        UnionListWriter w = v.getWriter();
        w.setPosition(rows);
        w.startList();
        for (double d : values) {
            w.writeFloat8(d);
        }
        w.endList();
    }

    private void flush() {
        if (rows == 0) {
            return;
        }
        for (var v : root.getFieldVectors()) {
            v.setValueCount(rows);
        }
        root.setRowCount(rows);
        try {
            writer.writeBatch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write samples", e);
        }
        root.allocateNew();
        rows = 0;
    }

    /** Completes the current iteration's file. */
    public void finish() {
        if (writer == null) {
            return;
        }
        try {
            flush();
            writer.end();
            writer.close();
            root.close();
            allocator.close();
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + target, e);
        } finally {
            writer = null;
        }
    }

    /** Abandons an unfinished file. */
    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
                root.close();
                allocator.close();
                Files.deleteIfExists(temporary);
            } catch (IOException | RuntimeException e) {
                // nothing more to do: the unfinished file is a temporary
            }
            writer = null;
        }
    }
}
