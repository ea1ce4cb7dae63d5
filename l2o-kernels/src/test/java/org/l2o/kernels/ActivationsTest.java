package org.l2o.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActivationsTest {

    @Test
    void tanhIsWithinItsStatedErrorOnADenseGrid() {
        int n = 400_001;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -20 + 40.0 * i / (n - 1);
        }
        double[] y = new double[n];
        Activations.tanh(x, y, n);
        double inside = 0;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double err = Math.abs(y[i] - Math.tanh(x[i]));
            worst = Math.max(worst, err);
            if (Math.abs(x[i]) <= 10) {
                inside = Math.max(inside, err);
            }
            assertEquals(y[i], Activations.tanh(x[i]), 0.0, "array and scalar forms differ at " + x[i]);
            assertEquals(-y[i], Activations.tanh(-x[i]), 0.0, "not odd at " + x[i]);
            if (i > 0) {
                assertTrue(y[i] >= y[i - 1], "not monotone at " + x[i]);
            }
        }
        assertTrue(inside < 2e-10, "error inside the clamp " + inside);
        assertTrue(worst < 5e-9, "error " + worst);
        assertEquals(0.0, Activations.tanh(0.0), 0.0);
    }

    @Test
    void sigmoidMatchesTheLogisticFunction() {
        double worst = 0;
        double[] x = new double[20_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = -30 + 60.0 * i / (x.length - 1);
        }
        double[] y = x.clone();
        Activations.sigmoid(y, y, y.length);
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(y[i] - 1 / (1 + Math.exp(-x[i]))));
            assertEquals(y[i], Activations.sigmoid(x[i]), 1e-16);
        }
        assertTrue(worst < 3e-9, "error " + worst);
        assertEquals(0.5, Activations.sigmoid(0.0), 0.0);
    }

    @Test
    void derivativesThroughOutputsMatchFiniteDifferences() {
        for (double x = -9.5; x <= 9.5; x += 0.37) {
            double h = 1e-5;
            double numeric = (Activations.tanh(x + h) - Activations.tanh(x - h)) / (2 * h);
            double t = Activations.tanh(x);
            assertEquals(1 - t * t, numeric, 1e-8, "tanh' at " + x);
        }
    }
}
