package org.l2o.gps;

import java.util.random.RandomGenerator;
import org.l2o.api.Seeds;
import org.l2o.gps.linalg.Mat;

/** Random linear-Gaussian systems, costs and controllers for the GPS tests. */
final class RandomSystems {

    private RandomSystems() {
    }

    static double[][] gaussian(RandomGenerator r, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * r.nextGaussian();
            }
        }
        return m;
    }

    static double[] gaussian(RandomGenerator r, int n, double scale) {
        return gaussian(r, 1, n, scale)[0];
    }

    /** Stable dynamics {@code x' = A x + B u + c + w}, A near 0.9 I. */
    static LinearGaussianDynamics dynamics(int dx, int du, int horizon, long seed) {
        RandomGenerator r = Seeds.generator(seed);
        double[][][] f = new double[horizon - 1][][];
        double[][] c = new double[horizon - 1][];
        double[][][] w = new double[horizon - 1][][];
        for (int t = 0; t + 1 < horizon; t++) {
            double[][] a = Mat.add(Mat.scale(Mat.identity(dx), 0.9), gaussian(r, dx, dx, 0.05));
            double[][] b = gaussian(r, dx, du, 0.5);
            double[][] ft = new double[dx][dx + du];
            Mat.setBlock(ft, 0, 0, a);
            Mat.setBlock(ft, 0, dx, b);
            f[t] = ft;
            c[t] = gaussian(r, dx, 0.1);
            double[][] g = gaussian(r, dx, dx, 0.05);
            w[t] = Mat.addDiagonalInPlace(Mat.mult(g, g), 0, dx, 0.01);
        }
        return new LinearGaussianDynamics(f, c, w, gaussian(r, dx, 1), Mat.scale(Mat.identity(dx), 0.1));
    }

    /** A positive-definite quadratic cost. */
    static QuadraticCost cost(int dz, int horizon, long seed) {
        RandomGenerator r = Seeds.generator(seed);
        double[][][] cm = new double[horizon][][];
        double[][] cv = new double[horizon][];
        double[] cc = new double[horizon];
        for (int t = 0; t < horizon; t++) {
            double[][] g = gaussian(r, dz, dz, 0.3);
            cm[t] = Mat.addDiagonalInPlace(Mat.mult(g, g), 0, dz, 0.5);
            cv[t] = gaussian(r, dz, 0.5);
            cc[t] = r.nextGaussian();
        }
        return new QuadraticCost(cm, cv, cc);
    }

    static LinearGaussianController controller(int dx, int du, int horizon, long seed) {
        RandomGenerator r = Seeds.generator(seed);
        double[][][] k = new double[horizon][][];
        double[][] o = new double[horizon][];
        double[][][] s = new double[horizon][][];
        for (int t = 0; t < horizon; t++) {
            k[t] = gaussian(r, du, dx, 0.2);
            o[t] = gaussian(r, du, 0.5);
            s[t] = Mat.scale(Mat.identity(du), 1.0);
        }
        return new LinearGaussianController(k, o, s);
    }
}
