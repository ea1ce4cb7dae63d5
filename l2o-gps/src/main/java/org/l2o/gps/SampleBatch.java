package org.l2o.gps;

import java.io.IOException;
import org.l2o.api.update.RemoteRecords;

/**
 * The N sample trajectories of one condition in one iteration, and the local quadratic cost
 * fitted around them (Levine & Abbeel 2014, local cost), kept in compact form: the cost depends on the state only
 * through the iterate, so per step only the mean Hessian, the shared linear term of the iterate and
 * action blocks, and the constant are stored; {@link #cost()} expands them to the dense form the
 * LQR uses (for the 12-parameter net classifier the dense form is 40 x 349 x 349 per objective).
 *
 * @param states  {@code [N][T][dX]}: iterate then policy features
 * @param actions {@code [N][T][dU]}: the steps taken
 * @param costs   {@code [N][T]}: true objective after each step, the cost of Li & Malik 2016
 * @param hessian {@code [T][dU][dU]}: mean Hessian of the objective at the next iterates
 * @param linear  {@code [T][dU]}: mean {@code g - H (x + u)}, the linear term of both blocks
 * @param constant {@code [T]}: mean constant term
 */
record SampleBatch(double[][][] states, double[][][] actions, double[][] costs, double[][][] hessian,
                   double[][] linear, double[] constant) {

    int samples() {
        return states.length;
    }

    int horizon() {
        return states[0].length;
    }

    /** The dense per-step quadratic {@code 1/2 z^T Cm z + z^T cv + cc} over {@code z = [x; phi; u]}. */
    QuadraticCost cost() {
        int horizon = horizon();
        int dx = states[0][0].length;
        int du = actions[0][0].length;
        int dz = dx + du;
        double[][][] cm = new double[horizon][dz][dz];
        double[][] cv = new double[horizon][dz];
        for (int t = 0; t < horizon; t++) {
            for (int i = 0; i < du; i++) {
                cv[t][i] = linear[t][i];
                cv[t][dx + i] = linear[t][i];
                for (int j = 0; j < du; j++) {
                    double h = hessian[t][i][j];
                    cm[t][i][j] = h;
                    cm[t][i][dx + j] = h;
                    cm[t][dx + i][j] = h;
                    cm[t][dx + i][dx + j] = h;
                }
            }
        }
        return new QuadraticCost(cm, cv, constant.clone());
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

    void write(RemoteRecords.Out out) throws IOException {
        out.cube(states);
        out.cube(actions);
        out.matrix(costs);
        out.cube(hessian);
        out.matrix(linear);
        out.vector(constant);
    }

    static SampleBatch read(RemoteRecords.In in) throws IOException {
        return new SampleBatch(in.cube(), in.cube(), in.matrix(), in.cube(), in.matrix(), in.vector());
    }
}
