package org.l2o.api.meta;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes the one checkpoint format of l2o: a magic number and version, then typed fields, each
 * preceded by a one-byte tag so that {@link CheckpointReader} can say exactly where a file stops
 * matching what it expects. Trainers write their state between {@link #section} markers. Numbers
 * are stored exactly (IEEE doubles, big-endian), so a run resumed from a checkpoint continues bit
 * for bit. No Java serialisation.
 *
 * <p>Not thread-safe; one writer per checkpoint.
 */
public final class CheckpointWriter {

    /** "L2OC". */
    static final int MAGIC = 0x4C324F43;
    /** Format version; a reader refuses any other. */
    static final int VERSION = 1;

    static final byte INT = 1;
    static final byte LONG = 2;
    static final byte DOUBLE = 3;
    static final byte TEXT = 4;
    static final byte VECTOR = 5;
    static final byte MATRIX = 6;
    static final byte ARRAYS = 7;
    static final byte SECTION = 8;
    static final byte FLAG = 9;
    static final byte TEXTS = 10;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    /** A writer that has written the header. */
    public CheckpointWriter() {
        raw(() -> {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
        });
    }

    /** Starts the named part of the state (a trainer's id, or a part of its state). */
    public CheckpointWriter section(String name) {
        return tagged(SECTION, () -> out.writeUTF(name));
    }

    public CheckpointWriter integer(int v) {
        return tagged(INT, () -> out.writeInt(v));
    }

    public CheckpointWriter longValue(long v) {
        return tagged(LONG, () -> out.writeLong(v));
    }

    public CheckpointWriter number(double v) {
        return tagged(DOUBLE, () -> out.writeDouble(v));
    }

    public CheckpointWriter flag(boolean v) {
        return tagged(FLAG, () -> out.writeBoolean(v));
    }

    public CheckpointWriter text(String s) {
        return tagged(TEXT, () -> out.writeUTF(s));
    }

    public CheckpointWriter vector(double[] v) {
        return tagged(VECTOR, () -> rawVector(v));
    }

    public CheckpointWriter matrix(double[][] m) {
        return tagged(MATRIX, () -> {
            out.writeInt(m.length);
            for (double[] row : m) {
                rawVector(row);
            }
        });
    }

    /** String pairs, written in key order. */
    public CheckpointWriter texts(Map<String, String> m) {
        return tagged(TEXTS, () -> {
            out.writeInt(m.size());
            for (var e : new TreeMap<>(m).entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        });
    }

    /** Named arrays with their shapes, in name order; values as doubles (exact for float and double arrays). */
    public CheckpointWriter arrays(Map<String, INDArray> m) {
        return tagged(ARRAYS, () -> {
            out.writeInt(m.size());
            for (var e : new TreeMap<>(m).entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long s : shape) {
                    out.writeLong(s);
                }
                rawVector(e.getValue().dup('c').data().asDouble());
            }
        });
    }

    /** Everything written so far. */
    public byte[] bytes() {
        raw(out::flush);
        return bytes.toByteArray();
    }

    private void rawVector(double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) {
            out.writeDouble(x);
        }
    }

    private CheckpointWriter tagged(byte tag, IoAction action) {
        raw(() -> {
            out.writeByte(tag);
            action.run();
        });
        return this;
    }

    private static void raw(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
