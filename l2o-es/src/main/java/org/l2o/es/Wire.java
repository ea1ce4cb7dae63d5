package org.l2o.es;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.l2o.api.DataFormatException;

/** The records PES's remote rollouts travel as: data streams with length-prefixed vectors copied in bulk. */
final class Wire {

    private Wire() {
    }

    @FunctionalInterface
    interface Writer {
        void write(Out out) throws IOException;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(In in) throws IOException;
    }

    static final class Out extends DataOutputStream {
        Out(ByteArrayOutputStream bytes) {
            super(bytes);
        }

        void vector(double[] v) throws IOException {
            writeInt(v.length);
            byte[] b = new byte[Double.BYTES * v.length];
            ByteBuffer.wrap(b).asDoubleBuffer().put(v);
            write(b);
        }
    }

    static final class In extends DataInputStream {
        In(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        double[] vector() throws IOException {
            int n = readInt();
            if (n < 0 || (long) n * Double.BYTES > available()) {
                throw new IOException("a vector of " + n + " numbers with " + available() + " bytes left");
            }
            double[] v = new double[n];
            ByteBuffer.wrap(readNBytes(Double.BYTES * n)).asDoubleBuffer().get(v);
            return v;
        }
    }

    static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Out out = new Out(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads a whole record; a short or overlong one is a {@link DataFormatException}. */
    static <T> T read(byte[] bytes, Reader<T> reader) {
        try (In in = new In(bytes)) {
            T value = reader.read(in);
            if (in.available() != 0) {
                throw new DataFormatException("a PES rollout record with " + in.available() + " bytes too many");
            }
            return value;
        } catch (IOException e) {
            throw new DataFormatException("a malformed PES rollout record: " + e.getMessage());
        }
    }
}
