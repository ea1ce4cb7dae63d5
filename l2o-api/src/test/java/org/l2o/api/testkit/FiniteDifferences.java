package org.l2o.api.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Central finite-difference checks of gradients. */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /**
     * Checks {@code gradient} of {@code f} at {@code x} on up to {@code maxCoordinates} coordinates
     * (all of them when the dimension is smaller; a random subset otherwise).
     *
     * @param tolerance allowed |analytic - numeric| / max(1, |analytic|, |numeric|)
     */
    public static void check(ToDoubleFunction<INDArray> f, INDArray x, INDArray gradient, int maxCoordinates,
                             double tolerance, RandomGenerator random, String what) {
        long n = x.length();
        int count = (int) Math.min(n, maxCoordinates);
        StringBuilder failures = new StringBuilder();
        for (int k = 0; k < count; k++) {
            long i = count == n ? k : random.nextLong(n);
            double xi = x.getDouble(i);
            double h = 1e-6 * Math.max(1.0, Math.abs(xi));
            INDArray plus = x.dup();
            plus.putScalar(i, xi + h);
            INDArray minus = x.dup();
            minus.putScalar(i, xi - h);
            double numeric = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
            double analytic = gradient.getDouble(i);
            double err = Math.abs(analytic - numeric) / Math.max(1.0, Math.max(Math.abs(analytic), Math.abs(numeric)));
            if (!(err <= tolerance)) {
                failures.append(String.format("%n  coordinate %d: analytic %.10g, numeric %.10g (error %.3g)", i,
                        analytic, numeric, err));
            }
        }
        if (!failures.isEmpty()) {
            fail(what + ": gradient disagrees with central differences (tolerance " + tolerance + ")" + failures);
        }
    }
}
