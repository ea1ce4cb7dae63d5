package org.l2o.policies.learned;

/**
 * The gradient preprocessing of Andrychowicz et al. 2016, appendix A (Andrychowicz et al. 2016, gradient preprocessing): each gradient
 * component g becomes {@code (log|g| / p, sign g)} when {@code |g| >= e^-p}, else {@code (-1, e^p g)}.
 * The paper uses p = 10; the public code k = 5.
 */
final class LogSign {

    private LogSign() {
    }

    /** Writes the two channels of g into {@code out[offset]} and {@code out[offset + 1]}. */
    static void apply(double g, double p, double[] out, int offset) {
        // |g| >= e^-p compared on the log scale: one log per component instead of an exp as well
        double log = Math.log(Math.abs(g));
        if (log >= -p) {
            out[offset] = log / p;
            out[offset + 1] = Math.signum(g);
        } else {
            out[offset] = -1;
            out[offset + 1] = Math.exp(p) * g;
        }
    }
}
