package org.l2o.gps;

import java.io.IOException;
import org.l2o.api.update.RemoteRecords;

/**
 * The transitions of the recorded coordinates of one coordinate group on one training condition,
 * as coordinate-group GPS samples them (see {@link GroupSampler}). Filled once, then read only.
 */
final class GroupSamples {
    final double[][][] states; // [N m][T][rows]: every row of GroupStates, or the GPS state once projected
    final double[][][] actions; // [N m][T][1]
    final double[][] gradients; // [N m][T]: true gradient of the coordinate at the state
    final double[] curvatureNum; // [T], over all coordinates of the group
    final double[] curvatureDen;

    GroupSamples(int count, int horizon) {
        this(new double[count][horizon][], new double[count][horizon][], new double[count][horizon],
                new double[horizon], new double[horizon]);
    }

    private GroupSamples(double[][][] states, double[][][] actions, double[][] gradients, double[] curvatureNum,
                         double[] curvatureDen) {
        this.states = states;
        this.actions = actions;
        this.gradients = gradients;
        this.curvatureNum = curvatureNum;
        this.curvatureDen = curvatureDen;
    }

    /** The same transitions with each state cut to {@code rows} (the GPS state); this where they are all rows. */
    GroupSamples project(int[] rows) {
        int size = states.length == 0 || states[0].length == 0 ? 0 : states[0][0].length;
        if (rows.length == size) {
            return this;
        }
        double[][][] cut = new double[states.length][][];
        for (int k = 0; k < states.length; k++) {
            cut[k] = new double[states[k].length][];
            for (int t = 0; t < states[k].length; t++) {
                double[] s = states[k][t];
                double[] c = new double[rows.length];
                for (int r = 0; r < rows.length; r++) {
                    c[r] = s[rows[r]];
                }
                cut[k][t] = c;
            }
        }
        return new GroupSamples(cut, actions, gradients, curvatureNum, curvatureDen);
    }

    void write(RemoteRecords.Out out) throws IOException {
        out.cube(states);
        out.cube(actions);
        out.matrix(gradients);
        out.vector(curvatureNum);
        out.vector(curvatureDen);
    }

    static GroupSamples read(RemoteRecords.In in) throws IOException {
        return new GroupSamples(in.cube(), in.cube(), in.matrix(), in.vector(), in.vector());
    }
}
