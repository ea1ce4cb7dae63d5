package org.l2o.gps;

/**
 * The transitions of the recorded coordinates of one coordinate group on one training condition,
 * as coordinate-group GPS samples them (see {@link GroupSampler}). Filled once, then read only.
 */
final class GroupSamples {
    final double[][][] states; // [N m][T][d]
    final double[][][] actions; // [N m][T][1]
    final double[][] gradients; // [N m][T]: true gradient of the coordinate at the state
    final double[] curvatureNum; // [T], over all coordinates of the group
    final double[] curvatureDen;

    GroupSamples(int count, int horizon) {
        states = new double[count][horizon][];
        actions = new double[count][horizon][];
        gradients = new double[count][horizon];
        curvatureNum = new double[horizon];
        curvatureDen = new double[horizon];
    }
}
