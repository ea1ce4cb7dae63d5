package org.l2o.gps;

/**
 * The N sample trajectories of one condition in one iteration, and the local quadratic cost
 * fitted around them (spec section 3.2).
 *
 * @param states  {@code [N][T][dX]}: iterate then policy features
 * @param actions {@code [N][T][dU]}: the steps taken
 * @param costs   {@code [N][T]}: true objective after each step, the cost of spec section 1.3
 * @param cost    the averaged local quadratic expansion of the cost per step
 */
record SampleBatch(double[][][] states, double[][][] actions, double[][] costs, QuadraticCost cost) {

    int samples() {
        return states.length;
    }

    int horizon() {
        return states[0].length;
    }

    /** Mean over samples of the summed cost. */
    double meanTotalCost() {
        double s = 0;
        for (double[] c : costs) {
            for (double v : c) {
                s += v;
            }
        }
        return s / costs.length;
    }
}
