package org.l2o.lopt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.l2o.api.DataFormatException;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureState;
import org.l2o.api.update.Observation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code lopt} per-coordinate inputs, {@code [size, n]} feature-major, in three blocks:
 * <ol>
 *   <li><b>normalised</b> ({@code 2K + 4} channels for K momentum decays): {@code g}, {@code p},
 *   {@code momentum@b} for each decay b, {@code second-moment} v, {@code momentum@b/sqrt(v)} for each
 *   decay and {@code 1/sqrt(v)}; each divided by its root mean square over the coordinate group, so
 *   scaling a tensor's gradient or parameters by a constant leaves them unchanged;</li>
 *   <li><b>time</b>: {@code time@tau = tanh(t / tau)} for each time scale, t the steps taken so far;</li>
 *   <li><b>raw</b>, not normalised and not meant as network inputs: {@code raw.adagrad}, AdaGrad's
 *   direction {@code g / (sqrt(sum g^2) + eps)} exactly as the {@code adagrad} rule computes it;
 *   {@code raw.adam}, Adam's bias-corrected {@code m / (sqrt(v) + eps)} as the {@code adam} rule;
 *   {@code raw.parameter-rms}, the root mean square of the coordinate's tensor; and, where
 *   {@code nominalMomentum > 0}, {@code raw.momentum}, the heavy-ball buffer {@code b = mu b + g} of
 *   the {@code momentum} rule (its direction: the rule steps {@code -lr b}).</li>
 * </ol>
 * Where {@code clip > 0}, each gradient coordinate is first clipped at {@code clip} times its
 * tensor's running RMS (decay 0.99, bias-corrected, from earlier steps), and every channel reads the
 * clipped gradient. The square roots of v take a floor of 10^-4 times the tensor's mean v, so that
 * coordinates whose gradient has always been zero (dead units) do not dominate a tensor's
 * normalisation, and the floor scales with the gradient. {@code normalise = false} leaves the first
 * block at its absolute scale and no time scales leave out the second: ablations of what each buys.
 */
public record LoptFeatures(double[] decays, double secondMoment, double[] timescales, double clip, boolean normalise,
                           double beta1, double beta2, double adamEps, double adagradEps, double nominalMomentum)
        implements FeatureMap, CoordinatewiseInputs {

    /** Channels fed through the tensor normalisation. */
    public int normalised() {
        return 2 * decays.length + 4;
    }

    /** Raw channels at the end without the heavy-ball direction. */
    public static final int RAW = 3;

    /** Raw channels at the end: {@link #RAW}, and {@code raw.momentum} where {@code nominalMomentum > 0}. */
    public int raw() {
        return RAW + (nominalMomentum > 0 ? 1 : 0);
    }

    @Override
    public int size() {
        return normalised() + timescales.length + raw();
    }

    @Override
    public List<String> channels() {
        List<String> c = new ArrayList<>();
        c.add("g");
        c.add("p");
        for (double b : decays) {
            c.add("momentum@" + fmt(b));
        }
        c.add("second-moment");
        for (double b : decays) {
            c.add("momentum@" + fmt(b) + "/sqrt(v)");
        }
        c.add("1/sqrt(v)");
        for (double tau : timescales) {
            c.add("time@" + fmt(tau));
        }
        c.add("raw.adagrad");
        c.add("raw.adam");
        c.add("raw.parameter-rms");
        if (nominalMomentum > 0) {
            c.add("raw.momentum");
        }
        return List.copyOf(c);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }

    @Override
    public Track start(ParameterLayout layout) {
        return new History(this, layout);
    }

    /** The step count, the accumulators of every coordinate and the running square of every group. */
    @Override
    public long savedLength(ParameterLayout layout) {
        return 1 + (long) layout.dimension() * (decays.length + 4 + (nominalMomentum > 0 ? 1 : 0))
                + layout.groups().size();
    }

    @Override
    public Track restore(ParameterLayout layout, double[] saved) {
        History h = new History(this, layout);
        if (saved.length != h.savedSize()) {
            throw new DataFormatException("lopt: a saved history of " + saved.length + " values, expected "
                    + h.savedSize() + " for " + layout.dimension() + " coordinates in " + layout.groups().size()
                    + " groups");
        }
        h.load(saved);
        return h;
    }

    // FeatureMap view: the track's inputs as one flat vector.

    private record State(History history, double[] last) implements FeatureState {
    }

    @Override
    public int size(ParameterLayout layout) {
        return size() * layout.dimension();
    }

    @Override
    public FeatureState init(ParameterLayout layout) {
        return new State(new History(this, layout), new double[size(layout)]);
    }

    @Override
    public FeatureState push(FeatureState state, Observation observation) {
        History h = (History) ((State) state).history().copy();
        return new State(h, h.push(observation));
    }

    @Override
    public INDArray features(FeatureState state) {
        return DenseVectors.of(((State) state).last().clone());
    }

    /** The accumulators of one run. */
    static final class History implements Track {
        private final LoptFeatures f;
        private final ParameterLayout layout;
        private final int n;
        private long t;
        private final double[][] momenta;
        private final double[] v;
        private final double[] sum;
        private final double[] adamM;
        private final double[] adamV;
        /** The heavy-ball buffer b = mu b + g of the nominal momentum direction (empty without one). */
        private final double[] heavyBall;
        private final double[] runningSquare;
        /** Scratch of a push, not part of the history: the observed gradient (clipped), parameters, 1/sqrt(v), a quotient. */
        private double[] g;
        private double[] p;
        private double[] root;
        private double[] quotient;

        History(LoptFeatures f, ParameterLayout layout) {
            this.f = f;
            this.layout = layout;
            this.n = layout.dimension();
            this.momenta = new double[f.decays.length][n];
            this.v = new double[n];
            this.sum = new double[n];
            this.adamM = new double[n];
            this.adamV = new double[n];
            this.heavyBall = new double[f.nominalMomentum > 0 ? n : 0];
            this.runningSquare = new double[layout.groups().size()];
        }

        private History(History o) {
            this.f = o.f;
            this.layout = o.layout;
            this.n = o.n;
            this.t = o.t;
            this.momenta = new double[o.momenta.length][];
            for (int k = 0; k < momenta.length; k++) {
                momenta[k] = o.momenta[k].clone();
            }
            this.v = o.v.clone();
            this.sum = o.sum.clone();
            this.adamM = o.adamM.clone();
            this.adamV = o.adamV.clone();
            this.heavyBall = o.heavyBall.clone();
            this.runningSquare = o.runningSquare.clone();
        }

        @Override
        public Track copy() {
            return new History(this);
        }

        int savedSize() {
            return 1 + n * (momenta.length + 4) + heavyBall.length + runningSquare.length;
        }

        @Override
        public double[] save() {
            double[] out = new double[savedSize()];
            out[0] = t;
            int o = 1;
            for (double[] m : momenta) {
                System.arraycopy(m, 0, out, o, n);
                o += n;
            }
            for (double[] a : new double[][] {v, sum, adamM, adamV, heavyBall}) {
                System.arraycopy(a, 0, out, o, a.length);
                o += a.length;
            }
            System.arraycopy(runningSquare, 0, out, o, runningSquare.length);
            return out;
        }

        void load(double[] in) {
            if (!(in[0] >= 0) || in[0] != Math.rint(in[0])) {
                throw new DataFormatException("lopt: a saved history with step count " + in[0]);
            }
            t = (long) in[0];
            int o = 1;
            for (double[] m : momenta) {
                System.arraycopy(in, o, m, 0, n);
                o += n;
            }
            for (double[] a : new double[][] {v, sum, adamM, adamV, heavyBall}) {
                System.arraycopy(in, o, a, 0, a.length);
                o += a.length;
            }
            System.arraycopy(in, o, runningSquare, 0, runningSquare.length);
        }

        @Override
        public double[] push(Observation observation) {
            return push(observation, new double[f.size() * n]);
        }

        /**
         * Per group: the accumulators, then the sums of squares that normalise their channels, the
         * square-root and raw channels, their sums of squares, and every normalised channel written at
         * its scale. Each loop either runs elementwise over the coordinates (the compiler vectorises
         * it) or sums squares over them in order (one chain per channel, interleaved), so the inputs
         * do not depend on how the loops are split.
         */
        @Override
        public double[] push(Observation observation, double[] out) {
            if (out.length != f.size() * n) {
                throw new IllegalArgumentException("lopt: an output of " + out.length + " values, expected "
                        + f.size() * n);
            }
            g = DenseVectors.read(observation.gradient(), g == null ? new double[n] : g);
            p = DenseVectors.read(observation.x(), p == null ? new double[n] : p);
            if (root == null) {
                root = new double[n];
                quotient = new double[n];
            }
            if (g.length != n || p.length != n) {
                throw new IllegalArgumentException("lopt: observation of " + g.length + " coordinates, the layout has "
                        + n);
            }
            int k = f.decays.length;
            int norm = f.normalised();
            long step = t + 1;
            double adamStep = 1 / (1 - Math.pow(f.beta1, step));
            double adamRoot = Math.sqrt(1 - Math.pow(f.beta2, step));
            double[] squares = new double[norm];
            double[] scales = new double[norm];
            java.util.Arrays.fill(scales, 1); // unnormalised (the ablation): every channel at its own scale
            List<CoordinateGroup> groups = layout.groups();
            for (int gi = 0; gi < groups.size(); gi++) {
                CoordinateGroup group = groups.get(gi);
                int lo = group.offset();
                int hi = group.end();
                double size = group.size();
                if (f.clip > 0) {
                    double meanSquare = 0;
                    for (int j = lo; j < hi; j++) {
                        meanSquare += g[j] * g[j];
                    }
                    if (t > 0) {
                        double bound = f.clip * Math.sqrt(runningSquare[gi] / (1 - Math.pow(0.99, t)));
                        for (int j = lo; j < hi; j++) {
                            g[j] = Math.max(-bound, Math.min(bound, g[j]));
                        }
                    }
                    runningSquare[gi] = 0.99 * runningSquare[gi] + 0.01 * (meanSquare / size);
                }
                accumulate(lo, hi);
                double meanV = sumSquares(lo, hi, squares);
                double floor = 1e-4 * (meanV / size) + Double.MIN_NORMAL;
                double parameterRms = Math.sqrt(squares[1] / size);
                // 1 / sqrt(v) once per coordinate into a scratch array indexed like the accumulators (as
                // the quotients below): written at a channel's offset in out, such loops ran one
                // coordinate at a time (the compiler did not vectorise them), eight times slower
                for (int j = lo; j < hi; j++) {
                    root[j] = 1 / Math.sqrt(v[j] + floor);
                }
                int rawBase = (norm + f.timescales.length) * n;
                for (int j = lo; j < hi; j++) {
                    quotient[j] = g[j] / (Math.sqrt(sum[j]) + f.adagradEps);
                }
                System.arraycopy(quotient, lo, out, rawBase + lo, hi - lo);
                for (int j = lo; j < hi; j++) {
                    quotient[j] = adamM[j] * adamStep / (Math.sqrt(adamV[j]) / adamRoot + f.adamEps);
                }
                System.arraycopy(quotient, lo, out, rawBase + n + lo, hi - lo);
                java.util.Arrays.fill(out, rawBase + 2 * n + lo, rawBase + 2 * n + hi, parameterRms);
                if (heavyBall.length > 0) { // as the momentum rule: b = g at the first step, then mu b + g
                    for (int j = lo; j < hi; j++) {
                        heavyBall[j] = f.nominalMomentum * heavyBall[j] + g[j];
                        out[rawBase + 3 * n + j] = heavyBall[j];
                    }
                }
                if (f.normalise) {
                    ratioSquares(lo, hi, squares);
                    for (int c = 0; c < norm; c++) {
                        scales[c] = scale(squares[c], hi - lo);
                    }
                }
                scaled(out, 0, lo, hi, g, scales[0]);
                scaled(out, 1, lo, hi, p, scales[1]);
                for (int d = 0; d < k; d++) {
                    scaled(out, 2 + d, lo, hi, momenta[d], scales[2 + d]);
                }
                scaled(out, 2 + k, lo, hi, v, scales[2 + k]);
                for (int d = 0; d < k; d++) { // each momentum over the root: a product with 1 / sqrt(v)
                    double[] md = momenta[d];
                    double sd = scales[k + 3 + d];
                    int at = (k + 3 + d) * n;
                    for (int j = lo; j < hi; j++) {
                        out[at + j] = md[j] * root[j] * sd;
                    }
                }
                scaled(out, 2 * k + 3, lo, hi, root, scales[2 * k + 3]);
            }
            for (int i = 0; i < f.timescales.length; i++) {
                java.util.Arrays.fill(out, (norm + i) * n, (norm + i + 1) * n, Math.tanh(t / f.timescales[i]));
            }
            t = step;
            return out;
        }

        /** Advances every accumulator on {@code [lo, hi)} by the (clipped) gradient, one array at a time. */
        private void accumulate(int lo, int hi) {
            for (int d = 0; d < momenta.length; d++) {
                double b = f.decays[d];
                double[] md = momenta[d];
                for (int j = lo; j < hi; j++) {
                    md[j] = b * md[j] + (1 - b) * g[j];
                }
            }
            double b2 = f.secondMoment;
            for (int j = lo; j < hi; j++) {
                v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
            }
            for (int j = lo; j < hi; j++) {
                sum[j] += g[j] * g[j];
            }
            for (int j = lo; j < hi; j++) {
                adamM[j] = f.beta1 * adamM[j] + (1 - f.beta1) * g[j];
            }
            for (int j = lo; j < hi; j++) {
                adamV[j] = f.beta2 * adamV[j] + (1 - f.beta2) * g[j] * g[j];
            }
        }

        /**
         * The sums of squares of the channels g, p, the momenta and v on {@code [lo, hi)} into
         * {@code squares[0 .. k + 3)}; returns the sum of v.
         */
        private double sumSquares(int lo, int hi, double[] squares) {
            int k = momenta.length;
            if (k <= 4) { // up to four decays (the defaults): every chain in one loop
                double[] m0 = k > 0 ? momenta[0] : g; // stand-ins for absent decays, summed and dropped
                double[] m1 = k > 1 ? momenta[1] : g;
                double[] m2 = k > 2 ? momenta[2] : g;
                double[] m3 = k > 3 ? momenta[3] : g;
                double sg = 0;
                double sp = 0;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                double sv = 0;
                double total = 0;
                for (int j = lo; j < hi; j++) {
                    sg += g[j] * g[j];
                    sp += p[j] * p[j];
                    s0 += m0[j] * m0[j];
                    s1 += m1[j] * m1[j];
                    s2 += m2[j] * m2[j];
                    s3 += m3[j] * m3[j];
                    sv += v[j] * v[j];
                    total += v[j];
                }
                double[] sums = {s0, s1, s2, s3};
                squares[0] = sg;
                squares[1] = sp;
                System.arraycopy(sums, 0, squares, 2, k);
                squares[2 + k] = sv;
                return total;
            }
            squares[0] = sumOfSquares(g, lo, hi);
            squares[1] = sumOfSquares(p, lo, hi);
            for (int d = 0; d < k; d++) {
                squares[2 + d] = sumOfSquares(momenta[d], lo, hi);
            }
            squares[2 + k] = sumOfSquares(v, lo, hi);
            double total = 0;
            for (int j = lo; j < hi; j++) {
                total += v[j];
            }
            return total;
        }

        /**
         * The sums of squares of the k + 1 square-root channels, {@code momentum / sqrt(v)} and
         * {@code 1 / sqrt(v)} from {@code root}, into {@code squares[k + 3 ..]}.
         */
        private void ratioSquares(int lo, int hi, double[] squares) {
            int k = momenta.length;
            if (k == 3 || k == 4) { // the shipped and the default decays: every chain in one loop
                double[] m0 = momenta[0];
                double[] m1 = momenta[1];
                double[] m2 = momenta[2];
                double[] m3 = momenta[k - 1]; // the fourth decay, or a stand-in summed and dropped
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                double si = 0;
                for (int j = lo; j < hi; j++) {
                    double ri = root[j];
                    double r0 = m0[j] * ri;
                    double r1 = m1[j] * ri;
                    double r2 = m2[j] * ri;
                    double r3 = m3[j] * ri;
                    s0 += r0 * r0;
                    s1 += r1 * r1;
                    s2 += r2 * r2;
                    s3 += r3 * r3;
                    si += ri * ri;
                }
                squares[k + 3] = s0;
                squares[k + 4] = s1;
                squares[k + 5] = s2;
                if (k == 4) {
                    squares[k + 6] = s3;
                }
                squares[2 * k + 3] = si;
                return;
            }
            for (int d = 0; d < k; d++) {
                double[] md = momenta[d];
                double s = 0;
                for (int j = lo; j < hi; j++) {
                    double r = md[j] * root[j];
                    s += r * r;
                }
                squares[k + 3 + d] = s;
            }
            squares[2 * k + 3] = sumOfSquares(root, lo, hi);
        }

        private static double sumOfSquares(double[] a, int lo, int hi) {
            double s = 0;
            for (int j = lo; j < hi; j++) {
                s += a[j] * a[j];
            }
            return s;
        }

        /** Writes {@code values[lo, hi)} times {@code scale} into the channel. */
        private void scaled(double[] out, int channel, int lo, int hi, double[] values, double scale) {
            int at = channel * n;
            for (int j = lo; j < hi; j++) {
                out[at + j] = values[j] * scale;
            }
        }

        /** One over the root mean square of a block with this sum of squares; 0 for an all-zero block. */
        private static double scale(double squares, int size) {
            double scale = 1 / Math.sqrt(squares / size + Double.MIN_NORMAL);
            return Double.isFinite(scale) ? scale : 0;
        }
    }
}
