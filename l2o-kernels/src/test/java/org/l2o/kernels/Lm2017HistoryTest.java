package org.l2o.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.l2o.api.Seeds;

class Lm2017HistoryTest {

    /** Psi and Phi (H = 2, S = 1) worked by hand for three observations of two coordinates. */
    @Test
    void featuresOfAShortHistoryMatchHandComputedValues() {
        Lm2017History h = new Lm2017History(2, 2, 1, true);
        h.push(4, new double[] {1, -2}, new double[] {0, 0});
        assertArrayEquals(new double[] {0, 0, 0.5, -2.0 / 3, 0, 0}, h.observation(), 1e-12);
        h.push(2, new double[] {3, 0.5}, new double[] {1, -1});
        assertArrayEquals(new double[] {-0.5, -0.5, 1.5, 0.5 / 3, 1 / 1.1, 1 / 1.1}, h.observation(), 1e-12);
        h.push(1, new double[] {0, 0}, new double[] {3, -1});
        assertArrayEquals(new double[] {-0.5, -0.5, 0, 0, 1 / 2.1, 10}, h.observation(), 1e-12);
        // window-3 averages: fbar = 4, 3, 7/3; gbar2 = (4/3, -1/2); xbar = (0,0), (1/2,-1/2), (4/3,-2/3)
        double[] phi = new double[h.stateSize() * 2];
        h.state(phi, 0);
        double[] expected = {
            -2.0 / 9, -2.0 / 9, // (fbar2 - fbar1) / fbar1
            -0.25, -0.25, // (fbar1 - fbar0) / fbar0
            (4.0 / 3) / 3, -0.5 / 1.75, // gbar2 / (|gbar1| + 1)
            1, -0.25, // gbar1 / (|gbar0| + 1)
            0.5, -2.0 / 3, // gbar0 / (|gbar0| + 1), lag clamped at t mod S = 0
            0.5 / (5.0 / 6 + 0.1), 0.5 / (1.0 / 6 + 0.1), // |xbar1 - xbar0| / (|xbar2 - xbar1| + 0.1)
            0, 0}; // previous change clamped to xbar0 - xbar0
        assertArrayEquals(expected, phi, 1e-12);
    }

    /** Phi straight from the spec's formulas over the full stored history (no ring buffers). */
    private static double[] reference(List<Double> f, List<double[]> g, List<double[]> x, int t, int hist, int s, int n) {
        double[] fb = new double[t + 1];
        double[][] gb = new double[t + 1][n];
        double[][] xb = new double[t + 1][n];
        for (int i = 0; i <= t; i++) {
            int lo = Math.max(i - 2, 0);
            int w = i - lo + 1;
            for (int k = lo; k <= i; k++) {
                fb[i] += f.get(k) / w;
                for (int j = 0; j < n; j++) {
                    gb[i][j] += g.get(k)[j] / w;
                    xb[i][j] += x.get(k)[j] / w;
                }
            }
        }
        double[] out = new double[(3 * hist + 1) * n];
        int row = 0;
        for (int i = 0; i < hist; i++, row++) {
            int b = t - s * (i + 1);
            for (int j = 0; j < n; j++) {
                out[row * n + j] = b < 0 ? 0 : (fb[t - s * i] - fb[b]) / fb[b];
            }
        }
        for (int i = 0; i <= hist; i++, row++) {
            int a = t - s * i;
            for (int j = 0; j < n; j++) {
                out[row * n + j] = a < 0 ? 0 : gb[a][j] / (Math.abs(gb[Math.max(t - s * (i + 1), t % s)][j]) + 1);
            }
        }
        for (int i = 0; i < hist; i++, row++) {
            int a = t - s * i;
            int b = t - s * (i + 1);
            for (int j = 0; j < n; j++) {
                if (b < 0) {
                    continue;
                }
                int p = Math.max(t - s * (i + 1), t % s);
                int q = Math.max(t - s * (i + 2), t % s);
                out[row * n + j] = Math.abs(xb[p][j] - xb[q][j]) / (Math.abs(xb[a][j] - xb[b][j]) + 0.1);
            }
        }
        return out;
    }

    @Test
    void ringBuffersAgreeWithTheFullHistoryPastTheirLength() {
        int n = 3;
        int hist = 3;
        int stride = 2;
        RandomGenerator r = Seeds.generator(11);
        Lm2017History h = new Lm2017History(n, hist, stride, true);
        List<Double> f = new ArrayList<>();
        List<double[]> g = new ArrayList<>();
        List<double[]> x = new ArrayList<>();
        double[] phi = new double[h.stateSize() * n];
        for (int t = 0; t < 40; t++) {
            f.add(1 + r.nextDouble());
            g.add(r.doubles(n, -1, 1).toArray());
            x.add(r.doubles(n, -2, 2).toArray());
            h.push(f.get(t), g.get(t), x.get(t));
            assertEquals(t, h.step());
            h.state(phi, 0);
            assertArrayEquals(reference(f, g, x, t, hist, stride, n), phi, 1e-12, "step " + t);
            Lm2017History copy = h.copy();
            double[] again = new double[phi.length];
            copy.state(again, 0);
            assertArrayEquals(phi, again, 0.0);
        }
    }

    @Test
    void rejectsMisuse() {
        Lm2017History h = new Lm2017History(2, 1, 1, false);
        assertThrows(IllegalStateException.class, h::observation);
        assertThrows(IllegalArgumentException.class, () -> h.push(1, new double[3], new double[2]));
        h.push(1, new double[2], new double[2]);
        assertThrows(IllegalStateException.class, () -> h.state(new double[8], 0));
    }
}
