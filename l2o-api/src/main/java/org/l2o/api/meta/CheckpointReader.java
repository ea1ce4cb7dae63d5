package org.l2o.api.meta;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.l2o.api.DataFormatException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads what a {@link CheckpointWriter} wrote, in the same order. Every read checks the field's
 * tag, and lengths are bounded before anything is allocated, so a truncated, corrupt or foreign
 * file fails with one {@link DataFormatException} that names the field and its position, never
 * with an out-of-memory error or a silently wrong state.
 *
 * <p>Not thread-safe; one reader per checkpoint.
 */
public final class CheckpointReader {

    private static final int MAX_LENGTH = 1 << 28;

    private final DataInputStream in;
    private final String source;
    private int field;

    /** A reader of {@code data}; {@code source} names it in messages (a file name, or "checkpoint"). */
    public CheckpointReader(byte[] data, String source) {
        this.in = new DataInputStream(new ByteArrayInputStream(data));
        this.source = source;
        int magic = read(in::readInt);
        if (magic != CheckpointWriter.MAGIC) {
            throw new DataFormatException(source + ": not an l2o checkpoint state (bad magic number)");
        }
        int version = read(in::readInt);
        if (version != CheckpointWriter.VERSION) {
            throw new DataFormatException(source + ": checkpoint state version " + version + " is not supported (this "
                    + "l2o reads version " + CheckpointWriter.VERSION + ")");
        }
    }

    /** What this reader reads, as messages name it. */
    public String source() {
        return source;
    }

    /** A data-format error about this checkpoint: {@code SOURCE: corrupt checkpoint (what)}. */
    public DataFormatException corrupt(String what) {
        return new DataFormatException(source + ": corrupt checkpoint (" + what + ")");
    }

    /** Reads a section marker and checks its name. */
    public CheckpointReader section(String name) {
        expect(CheckpointWriter.SECTION, "section '" + name + "'");
        String found = read(in::readUTF);
        if (!found.equals(name)) {
            throw new DataFormatException(source + ": expected section '" + name + "', found '" + found + "'");
        }
        return this;
    }

    public int integer() {
        expect(CheckpointWriter.INT, "an integer");
        return read(in::readInt);
    }

    public long longValue() {
        expect(CheckpointWriter.LONG, "a long integer");
        return read(in::readLong);
    }

    public double number() {
        expect(CheckpointWriter.DOUBLE, "a number");
        return read(in::readDouble);
    }

    public boolean flag() {
        expect(CheckpointWriter.FLAG, "a flag");
        return read(in::readBoolean);
    }

    public String text() {
        expect(CheckpointWriter.TEXT, "a text");
        return read(in::readUTF);
    }

    public double[] vector() {
        expect(CheckpointWriter.VECTOR, "a vector");
        return rawVector();
    }

    public double[][] matrix() {
        expect(CheckpointWriter.MATRIX, "a matrix");
        int rows = length("matrix rows");
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = rawVector();
        }
        return m;
    }

    public Map<String, String> texts() {
        expect(CheckpointWriter.TEXTS, "text pairs");
        int n = length("text pairs");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(read(in::readUTF), read(in::readUTF));
        }
        return out;
    }

    public Map<String, INDArray> arrays() {
        expect(CheckpointWriter.ARRAYS, "named arrays");
        int n = length("array count");
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = read(in::readUTF);
            int rank = read(in::readInt);
            if (rank < 0 || rank > 32) {
                throw new DataFormatException(source + ": corrupt checkpoint (array '" + name + "' of rank " + rank + ")");
            }
            long[] shape = new long[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = read(in::readLong);
                if (shape[d] < 0 || shape[d] > MAX_LENGTH) {
                    throw new DataFormatException(source + ": corrupt checkpoint (array '" + name + "' dimension "
                            + shape[d] + ")");
                }
                size *= shape[d];
            }
            double[] v = rawVector();
            if (v.length != size) {
                throw new DataFormatException(source + ": corrupt checkpoint (array '" + name + "' has " + v.length
                        + " values for shape " + java.util.Arrays.toString(shape) + ")");
            }
            out.put(name, rank == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape('c', shape));
        }
        return out;
    }

    /** Whether the next field has type {@code tag}, without reading it (for fields later releases added). */
    boolean nextIs(byte tag) {
        if (read(in::available) == 0) {
            return false;
        }
        in.mark(1);
        byte found = read(in::readByte);
        read(() -> {
            in.reset();
            return null;
        });
        return found == tag;
    }

    /** Whether every byte was read (optional trailing sections are looked for this way). */
    public boolean atEnd() {
        return read(in::available) == 0;
    }

    /** Fails unless every byte was read: a longer file is not what this reader expects either. */
    public void end() {
        if (!atEnd()) {
            throw new DataFormatException(source + ": unexpected data after field " + field + " of the checkpoint");
        }
    }

    private double[] rawVector() {
        int n = length("vector length");
        if (n * 8L > read(in::available)) {
            throw new DataFormatException(source + ": truncated checkpoint (field " + field + ")");
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = read(in::readDouble);
        }
        return v;
    }

    private int length(String what) {
        int n = read(in::readInt);
        if (n < 0 || n > MAX_LENGTH) {
            throw new DataFormatException(source + ": corrupt checkpoint (" + what + " " + n + " at field " + field + ")");
        }
        return n;
    }

    private void expect(byte tag, String what) {
        field++;
        byte found = read(in::readByte);
        if (found != tag) {
            throw new DataFormatException(source + ": corrupt or incompatible checkpoint: field " + field
                    + " should be " + what + " (tag " + tag + "), found tag " + found);
        }
    }

    private <T> T read(IoRead<T> r) {
        try {
            return r.read();
        } catch (IOException e) {
            throw new DataFormatException(source + ": truncated checkpoint (field " + field + ")");
        }
    }

    private interface IoRead<T> {
        T read() throws IOException;
    }
}
