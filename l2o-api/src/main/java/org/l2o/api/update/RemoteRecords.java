package org.l2o.api.update;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.l2o.api.DataFormatException;

/**
 * The records {@link RemoteTask}s travel as: data streams (big-endian primitives and UTF strings)
 * with length-prefixed arrays of doubles copied in bulk. Bit exact, so a rollout rebuilt from its
 * description computes what the original would.
 */
public final class RemoteRecords {

    private RemoteRecords() {
    }

    @FunctionalInterface
    public interface Writer {
        void write(Out out) throws IOException;
    }

    @FunctionalInterface
    public interface Reader<T> {
        T read(In in) throws IOException;
    }

    /** A record being written. */
    public static final class Out extends DataOutputStream {
        Out(ByteArrayOutputStream bytes) {
            super(bytes);
        }

        public void vector(double[] v) throws IOException {
            writeInt(v.length);
            byte[] b = new byte[Double.BYTES * v.length];
            ByteBuffer.wrap(b).asDoubleBuffer().put(v);
            write(b);
        }

        /** Rows may differ in length. */
        public void matrix(double[][] m) throws IOException {
            writeInt(m.length);
            for (double[] row : m) {
                vector(row);
            }
        }

        public void cube(double[][][] c) throws IOException {
            writeInt(c.length);
            for (double[][] m : c) {
                matrix(m);
            }
        }

        /** Length-prefixed bytes (a nested record). */
        public void bytes(byte[] b) throws IOException {
            writeInt(b.length);
            write(b);
        }

        /** A string map, in key order (so equal maps give equal bytes). */
        public void texts(java.util.Map<String, String> map) throws IOException {
            java.util.Map<String, String> sorted = new java.util.TreeMap<>(map);
            writeInt(sorted.size());
            for (var e : sorted.entrySet()) {
                writeUTF(e.getKey());
                writeUTF(e.getValue());
            }
        }
    }

    /** A record being read; a length that the bytes left cannot hold is an {@link IOException}. */
    public static final class In extends DataInputStream {
        In(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        public double[] vector() throws IOException {
            int n = readInt();
            if (n < 0 || (long) n * Double.BYTES > available()) {
                throw new IOException("a vector of " + n + " numbers with " + available() + " bytes left");
            }
            double[] v = new double[n];
            ByteBuffer.wrap(readNBytes(Double.BYTES * n)).asDoubleBuffer().get(v);
            return v;
        }

        public double[][] matrix() throws IOException {
            double[][] m = new double[count()][];
            for (int i = 0; i < m.length; i++) {
                m[i] = vector();
            }
            return m;
        }

        public double[][][] cube() throws IOException {
            double[][][] c = new double[count()][][];
            for (int i = 0; i < c.length; i++) {
                c[i] = matrix();
            }
            return c;
        }

        public byte[] bytes() throws IOException {
            int n = readInt();
            if (n < 0 || n > available()) {
                throw new IOException(n + " bytes with " + available() + " left");
            }
            return readNBytes(n);
        }

        public java.util.Map<String, String> texts() throws IOException {
            java.util.Map<String, String> map = new java.util.TreeMap<>();
            for (int i = count(); i > 0; i--) {
                map.put(readUTF(), readUTF());
            }
            return map;
        }

        /** A count of nested arrays, each at least 4 bytes long. */
        public int count() throws IOException {
            int n = readInt();
            if (n < 0 || (long) n * Integer.BYTES > available()) {
                throw new IOException("a count of " + n + " with " + available() + " bytes left");
            }
            return n;
        }
    }

    /** The bytes {@code writer} writes. */
    public static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Out out = new Out(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads a whole record; a short or overlong one is a {@link DataFormatException}. */
    public static <T> T read(byte[] bytes, Reader<T> reader) {
        try (In in = new In(bytes)) {
            T value = reader.read(in);
            if (in.available() != 0) {
                throw new DataFormatException("a rollout record with " + in.available() + " bytes too many");
            }
            return value;
        } catch (IOException e) {
            throw new DataFormatException("a malformed rollout record: " + e.getMessage());
        }
    }
}
