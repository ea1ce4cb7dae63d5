package org.l2o.gps;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.l2o.api.DataFormatException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Binary encoding of the GPS state between iterations (numbers and names only, no Java serialisation). */
final class Checkpoints {

    static final int MAGIC = 0x4C32474F; // "L2GO"
    static final int VERSION = 1;

    private Checkpoints() {
    }

    static final class Writer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);

        Writer() {
            integer(MAGIC);
            integer(VERSION);
        }

        void integer(int v) {
            try {
                out.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void number(double v) {
            try {
                out.writeDouble(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void longValue(long v) {
            try {
                out.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void text(String s) {
            try {
                out.writeUTF(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void vector(double[] v) {
            integer(v.length);
            for (double x : v) {
                number(x);
            }
        }

        void matrix(double[][] m) {
            integer(m.length);
            for (double[] r : m) {
                vector(r);
            }
        }

        void controller(LinearGaussianController c) {
            integer(c.horizon());
            for (int t = 0; t < c.horizon(); t++) {
                matrix(c.gain(t));
                vector(c.offset(t));
                matrix(c.covariance(t));
            }
        }

        void arrays(Map<String, INDArray> m) {
            integer(m.size());
            for (var e : new java.util.TreeMap<>(m).entrySet()) {
                text(e.getKey());
                long[] shape = e.getValue().shape();
                integer(shape.length);
                for (long s : shape) {
                    longValue(s);
                }
                vector(e.getValue().dup('c').data().asDouble());
            }
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    static final class Reader {
        final DataInputStream in;

        Reader(byte[] data) {
            in = new DataInputStream(new ByteArrayInputStream(data));
            if (integer() != MAGIC) {
                throw new DataFormatException("not a GPS checkpoint (bad magic number)");
            }
            int version = integer();
            if (version != VERSION) {
                throw new DataFormatException("GPS checkpoint version " + version + " is not supported");
            }
        }

        int integer() {
            try {
                return in.readInt();
            } catch (IOException e) {
                throw new DataFormatException("truncated GPS checkpoint");
            }
        }

        double number() {
            try {
                return in.readDouble();
            } catch (IOException e) {
                throw new DataFormatException("truncated GPS checkpoint");
            }
        }

        long longValue() {
            try {
                return in.readLong();
            } catch (IOException e) {
                throw new DataFormatException("truncated GPS checkpoint");
            }
        }

        String text() {
            try {
                return in.readUTF();
            } catch (IOException e) {
                throw new DataFormatException("truncated GPS checkpoint");
            }
        }

        double[] vector() {
            int n = integer();
            if (n < 0 || n > 1 << 28) {
                throw new DataFormatException("corrupt GPS checkpoint (vector length " + n + ")");
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = number();
            }
            return v;
        }

        double[][] matrix() {
            int n = integer();
            if (n < 0 || n > 1 << 20) {
                throw new DataFormatException("corrupt GPS checkpoint (matrix rows " + n + ")");
            }
            double[][] m = new double[n][];
            for (int i = 0; i < n; i++) {
                m[i] = vector();
            }
            return m;
        }

        LinearGaussianController controller() {
            int horizon = integer();
            double[][][] k = new double[horizon][][];
            double[][] o = new double[horizon][];
            double[][][] c = new double[horizon][][];
            for (int t = 0; t < horizon; t++) {
                k[t] = matrix();
                o[t] = vector();
                c[t] = matrix();
            }
            return new LinearGaussianController(k, o, c);
        }

        Map<String, INDArray> arrays() {
            int n = integer();
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = text();
                long[] shape = new long[integer()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = longValue();
                }
                double[] v = vector();
                out.put(name, shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.createFromArray(v).reshape('c', shape));
            }
            return out;
        }
    }
}
