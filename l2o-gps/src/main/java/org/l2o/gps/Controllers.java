package org.l2o.gps;

import java.io.IOException;
import org.l2o.api.meta.CheckpointReader;
import org.l2o.api.meta.CheckpointWriter;
import org.l2o.api.update.RemoteRecords;

/**
 * Linear-Gaussian controllers as checkpoint fields and in remote-task records: the horizon, then
 * gain, offset and covariance per step.
 */
final class Controllers {

    private Controllers() {
    }

    static void write(CheckpointWriter w, LinearGaussianController c) {
        w.integer(c.horizon());
        for (int t = 0; t < c.horizon(); t++) {
            w.matrix(c.gain(t)).vector(c.offset(t)).matrix(c.covariance(t));
        }
    }

    static LinearGaussianController read(CheckpointReader r) {
        int horizon = r.integer();
        if (horizon < 0 || horizon > 10_000_000) {
            throw r.corrupt("controller horizon " + horizon);
        }
        double[][][] k = new double[horizon][][];
        double[][] o = new double[horizon][];
        double[][][] c = new double[horizon][][];
        for (int t = 0; t < horizon; t++) {
            k[t] = r.matrix();
            o[t] = r.vector();
            c[t] = r.matrix();
        }
        return new LinearGaussianController(k, o, c);
    }

    static void write(RemoteRecords.Out out, LinearGaussianController c) throws IOException {
        out.writeInt(c.horizon());
        for (int t = 0; t < c.horizon(); t++) {
            out.matrix(c.gain(t));
            out.vector(c.offset(t));
            out.matrix(c.covariance(t));
        }
    }

    static LinearGaussianController read(RemoteRecords.In in) throws IOException {
        int horizon = in.count();
        double[][][] k = new double[horizon][][];
        double[][] o = new double[horizon][];
        double[][][] c = new double[horizon][][];
        for (int t = 0; t < horizon; t++) {
            k[t] = in.matrix();
            o[t] = in.vector();
            c[t] = in.matrix();
        }
        return new LinearGaussianController(k, o, c);
    }
}
