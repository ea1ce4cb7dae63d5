package org.l2o.kernels;

import org.l2o.api.update.Observation;

/**
 * The history behind the features of Li & Malik 2017 for one run over
 * {@code n} coordinates: the observation features Psi (3 per coordinate) and, when built with
 * {@code stateFeatures}, the state features Phi (stride {@code S} over {@code H} lags,
 * {@code 3H + 1} per coordinate). Every operation is elementwise; terms whose indices fall before
 * the start of the run are 0.
 *
 * <p>Mutable and not thread-safe: one history per run, fed every observation in order. Memory is
 * {@code O(n)} for Psi and {@code O(S (H + 1) n)} for Phi (ring buffers of window-3 averages).
 *
 * <p>Choices where the spec is unverified or undefined (documented and fixed here):
 * <ul>
 * <li>Psi 1 and Phi 1 divide by the older objective value as written; a zero denominator gives 0.</li>
 * <li>Psi 3 at t = 0 is 0 (its numerator would need x at step 1); at t = 1 it reads
 *     {@code |x1 - x0| / (|x1 - x0| + 0.1)} as the formula's clamped indices give.</li>
 * <li>Phi 3 (garbled in the copy of the paper) is
 *     {@code |xbar(p) - xbar(q)| / (|xbar(t - S i) - xbar(t - S (i + 1))| + 0.1)} with
 *     {@code p = max(t - S (i + 1), t mod S)}, {@code q = max(t - S (i + 2), t mod S)}: the previous
 *     stride-S change over the current one, clamped like Phi 2; 0 while {@code t - S (i + 1) < 0}.</li>
 * </ul>
 */
public final class Lm2017History {

    /** Observation features per coordinate. */
    public static final int OBSERVATION_SIZE = 3;

    private final int n;
    private final int history;
    private final int stride;
    private final boolean stateFeatures;
    private int t = -1;
    // raw values at t, t-1, t-2
    private double f0;
    private double f1;
    private double f2;
    private double[] g0;
    private double[] g1;
    private double[] g2;
    private double[] x0;
    private double[] x1;
    private double[] x2;
    // rings of window-3 averages, slot s % length
    private final double[] fbar;
    private final double[][] gbar;
    private final double[][] xbar;

    /**
     * @param n             coordinates
     * @param history       H, lags of the state features (ignored without them)
     * @param stride        S, steps between lags (ignored without state features)
     * @param stateFeatures whether to keep what Phi needs
     */
    public Lm2017History(int n, int history, int stride, boolean stateFeatures) {
        if (n <= 0 || history <= 0 || stride <= 0) {
            throw new IllegalArgumentException("n, history and stride must be positive: " + n + ", " + history + ", "
                    + stride);
        }
        this.n = n;
        this.history = history;
        this.stride = stride;
        this.stateFeatures = stateFeatures;
        g0 = new double[n];
        g1 = new double[n];
        g2 = new double[n];
        x0 = new double[n];
        x1 = new double[n];
        x2 = new double[n];
        int length = stateFeatures ? stride * (history + 1) + 1 : 0;
        fbar = new double[length];
        gbar = new double[length][];
        xbar = new double[length][];
    }

    private Lm2017History(Lm2017History o) {
        n = o.n;
        history = o.history;
        stride = o.stride;
        stateFeatures = o.stateFeatures;
        t = o.t;
        f0 = o.f0;
        f1 = o.f1;
        f2 = o.f2;
        g0 = o.g0.clone();
        g1 = o.g1.clone();
        g2 = o.g2.clone();
        x0 = o.x0.clone();
        x1 = o.x1.clone();
        x2 = o.x2.clone();
        fbar = o.fbar.clone();
        gbar = new double[o.gbar.length][];
        xbar = new double[o.xbar.length][];
        for (int i = 0; i < gbar.length; i++) {
            gbar[i] = o.gbar[i] == null ? null : o.gbar[i].clone();
            xbar[i] = o.xbar[i] == null ? null : o.xbar[i].clone();
        }
    }

    /** An independent copy. */
    public Lm2017History copy() {
        return new Lm2017History(this);
    }

    /** Coordinates. */
    public int coordinates() {
        return n;
    }

    /** Index of the latest observation, -1 before the first. */
    public int step() {
        return t;
    }

    /** State features per coordinate, {@code 3H + 1}. */
    public int stateSize() {
        return 3 * history + 1;
    }

    /** Adds the observation at the next step: observed value and gradient at iterate {@code x}. */
    public void push(double value, double[] gradient, double[] x) {
        if (gradient.length != n || x.length != n) {
            throw new IllegalArgumentException("expected " + n + " coordinates, got gradient " + gradient.length
                    + " and x " + x.length);
        }
        t++;
        double[] g = g2;
        g2 = g1;
        g1 = g0;
        g0 = g;
        System.arraycopy(gradient, 0, g0, 0, n);
        double[] xs = x2;
        x2 = x1;
        x1 = x0;
        x0 = xs;
        System.arraycopy(x, 0, x0, 0, n);
        f2 = f1;
        f1 = f0;
        f0 = value;
        if (stateFeatures) {
            int w = Math.min(t + 1, 3);
            int slot = t % fbar.length;
            double[] gb = gbar[slot] == null ? new double[n] : gbar[slot];
            double[] xb = xbar[slot] == null ? new double[n] : xbar[slot];
            double inv = 1.0 / w;
            fbar[slot] = (f0 + (w > 1 ? f1 : 0) + (w > 2 ? f2 : 0)) * inv;
            for (int j = 0; j < n; j++) {
                double gs = g0[j];
                double xsum = x0[j];
                if (w > 1) {
                    gs += g1[j];
                    xsum += x1[j];
                }
                if (w > 2) {
                    gs += g2[j];
                    xsum += x2[j];
                }
                gb[j] = gs * inv;
                xb[j] = xsum * inv;
            }
            gbar[slot] = gb;
            xbar[slot] = xb;
        }
    }

    private void started() {
        if (t < 0) {
            throw new IllegalStateException("no observation pushed yet");
        }
    }

    /**
     * Writes Psi (the observation features of Li & Malik 2017) feature-major into {@code out[offset ..]}: row 0 the relative change of
     * the observed objective (the same for every coordinate), row 1 the gradient over one plus the
     * previous gradient's magnitude, row 2 the previous step's magnitude over the current one's plus 0.1.
     */
    public void observation(double[] out, int offset) {
        started();
        double psi1 = t == 0 || f1 == 0 ? 0 : (f0 - f1) / f1;
        double[] gPrev = t == 0 ? g0 : g1;
        for (int j = 0; j < n; j++) {
            out[offset + j] = psi1;
            out[offset + n + j] = g0[j] / (Math.abs(gPrev[j]) + 1);
        }
        int r3 = offset + 2 * n;
        if (t == 0) {
            java.util.Arrays.fill(out, r3, r3 + n, 0.0);
        } else {
            double[] prevA = t == 1 ? x0 : x1;
            double[] prevB = t == 1 ? x1 : x2;
            for (int j = 0; j < n; j++) {
                out[r3 + j] = Math.abs(prevA[j] - prevB[j]) / (Math.abs(x0[j] - x1[j]) + 0.1);
            }
        }
    }

    /** Psi as a new array {@code [3, n]} feature-major. */
    public double[] observation() {
        double[] out = new double[OBSERVATION_SIZE * n];
        observation(out, 0);
        return out;
    }

    private int slot(int s) {
        return s % fbar.length;
    }

    /**
     * Writes Phi (the state features of Li & Malik 2017) feature-major into {@code out[offset ..]}: H rows of relative changes of
     * the averaged objective (the same for every coordinate), H + 1 rows of the normalised averaged
     * gradient, H rows of the ratio of the previous to the current change of the averaged iterate.
     */
    public void state(double[] out, int offset) {
        started();
        if (!stateFeatures) {
            throw new IllegalStateException("this history was built without state features");
        }
        int s = stride;
        int mod = t % s;
        int row = offset;
        for (int i = 0; i < history; i++, row += n) {
            int a = t - s * i;
            int b = t - s * (i + 1);
            double v = 0;
            if (b >= 0) {
                double fb = fbar[slot(b)];
                v = fb == 0 ? 0 : (fbar[slot(a)] - fb) / fb;
            }
            java.util.Arrays.fill(out, row, row + n, v);
        }
        for (int i = 0; i <= history; i++, row += n) {
            int a = t - s * i;
            if (a < 0) {
                java.util.Arrays.fill(out, row, row + n, 0.0);
                continue;
            }
            double[] ga = gbar[slot(a)];
            double[] gd = gbar[slot(Math.max(t - s * (i + 1), mod))];
            for (int j = 0; j < n; j++) {
                out[row + j] = ga[j] / (Math.abs(gd[j]) + 1);
            }
        }
        for (int i = 0; i < history; i++, row += n) {
            int a = t - s * i;
            int b = t - s * (i + 1);
            if (b < 0) {
                java.util.Arrays.fill(out, row, row + n, 0.0);
                continue;
            }
            double[] xa = xbar[slot(a)];
            double[] xb = xbar[slot(b)];
            double[] xp = xbar[slot(Math.max(t - s * (i + 1), mod))];
            double[] xq = xbar[slot(Math.max(t - s * (i + 2), mod))];
            for (int j = 0; j < n; j++) {
                out[row + j] = Math.abs(xp[j] - xq[j]) / (Math.abs(xa[j] - xb[j]) + 0.1);
            }
        }
    }
}
