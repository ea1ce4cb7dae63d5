package org.l2o.gps;

/**
 * A local quadratic cost per step, {@code c_t(z) = 1/2 z^T Cm_t z + z^T cv_t + cc_t} over
 * {@code z = [x; u]} (Levine & Abbeel 2014, local cost).
 */
public record QuadraticCost(double[][][] cm, double[][] cv, double[] cc) {

    public int horizon() {
        return cc.length;
    }
}
