package org.l2o.lopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.DenseVectors;
import org.l2o.api.Seeds;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.testkit.FeatureMapContract;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.Observation;

class LoptFeaturesTest {

    static final LoptFeaturesProvider PROVIDER = new LoptFeaturesProvider();

    static LoptFeatures features(Map<String, String> p) {
        return (LoptFeatures) PROVIDER.create(PROVIDER.configure(p), CreationContext.defaults());
    }

    @Nested
    class Contract extends FeatureMapContract {
        @Override
        protected FeatureMapProvider provider() {
            return PROVIDER;
        }
    }

    @Nested
    class Clipped extends FeatureMapContract {
        @Override
        protected FeatureMapProvider provider() {
            return PROVIDER;
        }

        @Override
        protected Map<String, String> parameters() {
            return Map.of("clip", "2", "decays", "0.9", "timescales", "10");
        }
    }

    @Nested
    class HeavyBall extends FeatureMapContract {
        @Override
        protected FeatureMapProvider provider() {
            return PROVIDER;
        }

        @Override
        protected Map<String, String> parameters() {
            return Map.of("nominal-momentum", "0.5", "decays", "0.9", "timescales", "10");
        }
    }

    @Test
    void providersAreDeclared() {
        ServiceDeclarations.assertAgree(LoptFeaturesProvider.class);
    }

    static final ParameterLayout LAYOUT = ParameterLayout.of("W", new int[] {4, 3}, "b", new int[] {3});

    static Observation observation(int t, double[] x, double[] g) {
        return new Observation(t, DenseVectors.of(x), 0.0, DenseVectors.of(g), org.l2o.api.testkit.TestObjectives.oracle(
                org.l2o.api.testkit.TestObjectives.quadratic(x.length, 2, 1)));
    }

    static double[] gaussian(RandomGenerator r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    /** Scaling one tensor's gradients and parameters leaves every normalised channel as it was. */
    @Test
    void normalisedChannelsDoNotSeeATensorsScale() {
        LoptFeatures f = features(Map.of());
        CoordinatewiseInputs.Track a = f.start(LAYOUT);
        CoordinatewiseInputs.Track b = f.start(LAYOUT);
        RandomGenerator r = Seeds.generator(3);
        int n = LAYOUT.dimension();
        double[] outA = null;
        double[] outB = null;
        for (int t = 0; t < 6; t++) {
            double[] x = gaussian(r, n);
            double[] g = gaussian(r, n);
            double[] xs = x.clone();
            double[] gs = g.clone();
            for (int j = 0; j < 12; j++) { // tensor W: gradients x 1e-4, parameters x 1e3
                gs[j] *= 1e-4;
                xs[j] *= 1e3;
            }
            outA = a.push(observation(t, x, g));
            outB = b.push(observation(t, xs, gs));
        }
        int normalised = f.normalised() + f.timescales().length;
        for (int c = 0; c < normalised; c++) {
            for (int j = 0; j < n; j++) {
                assertEquals(outA[c * n + j], outB[c * n + j], 1e-9 * Math.max(1, Math.abs(outA[c * n + j])),
                        "channel " + f.channels().get(c) + " coordinate " + j);
            }
        }
        // AdaGrad's direction is scale-free too; the parameter RMS is not (it is the scale)
        int adagrad = f.channels().indexOf("raw.adagrad");
        assertEquals(outA[adagrad * n], outB[adagrad * n], 1e-6);
        int rms = f.channels().indexOf("raw.parameter-rms");
        assertEquals(1e3 * outA[rms * n], outB[rms * n], 1e-9 * outB[rms * n]);
        // each normalised channel has unit RMS over a tensor
        double s = 0;
        for (int j = 0; j < 12; j++) {
            s += outA[j] * outA[j];
        }
        assertEquals(1.0, Math.sqrt(s / 12), 1e-12);
    }

    /**
     * Every channel against its definition, computed here the slow way (one coordinate and one
     * formula at a time), over steps with clipping active, for the default four decays, the three of
     * the shipped optimizer, one, and five (the feature map has separate loops for some counts).
     */
    @Test
    void everyChannelMatchesItsDefinition() {
        ParameterLayout layout = ParameterLayout.of("W", new int[] {9, 7}, "b", new int[] {7}, "V", new int[] {7, 2});
        for (String decays : List.of("0.5,0.9,0.99,0.999", "0.5,0.9,0.99", "0.9", "0.1,0.3,0.5,0.7,0.9")) {
            LoptFeatures f = features(Map.of("decays", decays, "timescales", "1,30", "clip", "1.5",
                    "nominal-momentum", "0.7"));
            CoordinatewiseInputs.Track track = f.start(layout);
            Reference ref = new Reference(f, layout);
            RandomGenerator r = Seeds.generator(21);
            int n = layout.dimension();
            for (int t = 0; t < 7; t++) {
                double[] x = gaussian(r, n);
                double[] g = gaussian(r, n);
                if (t == 4) {
                    g[3] = 40; // an outlier that the clip bounds
                }
                double[] fast = track.push(observation(t, x, g));
                double[] slow = ref.push(x, g);
                for (int c = 0; c < f.size(); c++) {
                    for (int j = 0; j < n; j++) {
                        double e = slow[c * n + j];
                        assertEquals(e, fast[c * n + j], 1e-12 * Math.max(1, Math.abs(e)),
                                "decays " + decays + ", step " + t + ", channel " + f.channels().get(c)
                                        + ", coordinate " + j);
                    }
                }
            }
        }
    }

    /** The {@code lopt} inputs as LoptFeatures' documentation defines them, one coordinate at a time. */
    private static final class Reference {
        final LoptFeatures f;
        final ParameterLayout layout;
        final int n;
        final double[][] m;
        final double[] v;
        final double[] sum;
        final double[] adamM;
        final double[] adamV;
        final double[] heavy;
        final double[] running;
        int t;

        Reference(LoptFeatures f, ParameterLayout layout) {
            this.f = f;
            this.layout = layout;
            n = layout.dimension();
            m = new double[f.decays().length][n];
            v = new double[n];
            sum = new double[n];
            adamM = new double[n];
            adamV = new double[n];
            heavy = new double[n];
            running = new double[layout.groups().size()];
        }

        double[] push(double[] x, double[] raw) {
            int k = f.decays().length;
            double[] out = new double[f.size() * n];
            double[] g = raw.clone();
            for (int gi = 0; gi < layout.groups().size(); gi++) {
                var group = layout.groups().get(gi);
                int lo = group.offset();
                int size = group.size();
                double meanSquare = 0;
                for (int j = lo; j < lo + size; j++) {
                    meanSquare += raw[j] * raw[j] / size;
                }
                if (t > 0) {
                    double bound = f.clip() * Math.sqrt(running[gi] / (1 - Math.pow(0.99, t)));
                    for (int j = lo; j < lo + size; j++) {
                        g[j] = Math.max(-bound, Math.min(bound, raw[j]));
                    }
                }
                running[gi] = 0.99 * running[gi] + 0.01 * meanSquare;
                double meanV = 0;
                double squares = 0;
                for (int j = lo; j < lo + size; j++) {
                    for (int d = 0; d < k; d++) {
                        m[d][j] = f.decays()[d] * m[d][j] + (1 - f.decays()[d]) * g[j];
                    }
                    v[j] = f.secondMoment() * v[j] + (1 - f.secondMoment()) * g[j] * g[j];
                    sum[j] += g[j] * g[j];
                    adamM[j] = f.beta1() * adamM[j] + (1 - f.beta1()) * g[j];
                    adamV[j] = f.beta2() * adamV[j] + (1 - f.beta2()) * g[j] * g[j];
                    heavy[j] = f.nominalMomentum() * heavy[j] + g[j];
                    meanV += v[j] / size;
                    squares += x[j] * x[j];
                }
                double floor = 1e-4 * meanV + Double.MIN_NORMAL;
                double[][] channels = new double[2 * k + 4][size];
                for (int i = 0; i < size; i++) {
                    int j = lo + i;
                    double root = Math.sqrt(v[j] + floor);
                    channels[0][i] = g[j];
                    channels[1][i] = x[j];
                    for (int d = 0; d < k; d++) {
                        channels[2 + d][i] = m[d][j];
                        channels[k + 3 + d][i] = m[d][j] / root;
                    }
                    channels[k + 2][i] = v[j];
                    channels[2 * k + 3][i] = 1 / root;
                }
                for (int c = 0; c < channels.length; c++) {
                    double ms = 0;
                    for (double value : channels[c]) {
                        ms += value * value / size;
                    }
                    for (int i = 0; i < size; i++) {
                        out[c * n + lo + i] = channels[c][i] / Math.sqrt(ms + Double.MIN_NORMAL);
                    }
                }
                int raws = f.normalised() + f.timescales().length;
                for (int j = lo; j < lo + size; j++) {
                    for (int i = 0; i < f.timescales().length; i++) {
                        out[(f.normalised() + i) * n + j] = Math.tanh(t / f.timescales()[i]);
                    }
                    out[raws * n + j] = g[j] / (Math.sqrt(sum[j]) + f.adagradEps());
                    double mHat = adamM[j] / (1 - Math.pow(f.beta1(), t + 1));
                    double vHat = adamV[j] / (1 - Math.pow(f.beta2(), t + 1));
                    out[(raws + 1) * n + j] = mHat / (Math.sqrt(vHat) + f.adamEps());
                    out[(raws + 2) * n + j] = Math.sqrt(squares / size);
                    out[(raws + 3) * n + j] = heavy[j];
                }
            }
            t++;
            return out;
        }
    }

    /** The ablations: without normalisation the first block is the raw accumulators; without time scales it is gone. */
    @Test
    void ablatedFeaturesKeepTheAbsoluteScaleAndDropTheTime() {
        LoptFeatures plain = features(Map.of("normalise", "false", "timescales", "none", "decays", "0.5"));
        LoptFeatures full = features(Map.of("decays", "0.5"));
        assertEquals(List.of("g", "p", "momentum@0.5", "second-moment", "momentum@0.5/sqrt(v)", "1/sqrt(v)",
                "raw.adagrad", "raw.adam", "raw.parameter-rms"), plain.channels());
        CoordinatewiseInputs.Track a = plain.start(LAYOUT);
        CoordinatewiseInputs.Track b = full.start(LAYOUT);
        RandomGenerator r = Seeds.generator(5);
        int n = LAYOUT.dimension();
        double[] g0 = gaussian(r, n);
        double[] g1 = gaussian(r, n);
        double[] x = gaussian(r, n);
        a.push(observation(0, x, g0));
        b.push(observation(0, x, g0));
        double[] outA = a.push(observation(1, x, g1));
        double[] outB = b.push(observation(1, x, g1));
        for (int j = 0; j < n; j++) {
            assertEquals(g1[j], outA[j], 0.0, "g is passed through unnormalised");
            assertEquals(x[j], outA[n + j], 0.0, "p is passed through unnormalised");
            assertEquals(0.5 * 0.5 * g0[j] + 0.5 * g1[j], outA[2 * n + j], 1e-15, "momentum@0.5");
        }
        // the raw block is the same with and without the ablations
        int rawA = plain.channels().indexOf("raw.adagrad");
        int rawB = full.channels().indexOf("raw.adagrad");
        for (int j = 0; j < 3 * n; j++) {
            assertEquals(outB[rawB * n + j], outA[rawA * n + j], 0.0);
        }
    }

    @Test
    void theSavedLengthIsKnownBeforeTheRun() {
        LoptFeatures f = features(Map.of());
        CoordinatewiseInputs.Track track = f.start(LAYOUT);
        track.push(observation(0, new double[LAYOUT.dimension()], new double[LAYOUT.dimension()]));
        assertEquals(f.savedLength(LAYOUT), track.save().length);
        long perGroup = 0;
        for (var g : LAYOUT.groups()) {
            perGroup += f.savedLength(ParameterLayout.single(g.size()));
        }
        assertTrue(f.savedLength(LAYOUT) <= perGroup, "the saved length must be bounded by its groups' lengths");
    }

    @Test
    void timeFeaturesFollowTheStepCount() {
        LoptFeatures f = features(Map.of("timescales", "1,100"));
        CoordinatewiseInputs.Track track = f.start(LAYOUT);
        int n = LAYOUT.dimension();
        double[] out = null;
        for (int t = 0; t < 4; t++) {
            out = track.push(observation(t, new double[n], gaussian(Seeds.generator(t), n)));
        }
        int time = f.channels().indexOf("time@100");
        assertEquals(Math.tanh(3 / 100.0), out[time * n + 5], 1e-15);
        assertEquals(Math.tanh(3.0), out[(time - 1) * n + 2], 1e-15);
    }

    @Test
    void clippingBoundsAnOutlierByTheRunningRms() {
        LoptFeatures f = features(Map.of("clip", "3"));
        ParameterLayout layout = ParameterLayout.single(10);
        CoordinatewiseInputs.Track track = f.start(layout);
        double[] ones = new double[10];
        java.util.Arrays.fill(ones, 1.0);
        track.push(observation(0, new double[10], ones));
        double[] spike = ones.clone();
        spike[4] = 1e6;
        double[] out = track.push(observation(1, new double[10], spike));
        int raw = f.channels().indexOf("raw.adam");
        // the clipped gradient at coordinate 4 is 3 x the running RMS (1), so Adam's step stays O(1)
        assertTrue(Math.abs(out[raw * 10 + 4]) < 3, "Adam direction after the clipped spike: " + out[raw * 10 + 4]);
    }

    @Test
    void invalidListsNameTheParameter() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> features(Map.of("decays", "0.9,1.5")));
        assertTrue(e.getMessage().contains("decays") && e.getMessage().contains("0.9,1.5"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> features(Map.of("timescales", "10,-1")));
        assertTrue(e.getMessage().contains("timescales"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> features(Map.of("nominal-momentum", "1")));
        assertTrue(e.getMessage().contains("nominal-momentum"), e.getMessage());
    }

    @Test
    void channelsAreNamedInOrder() {
        LoptFeatures f = features(Map.of("decays", "0.5,0.99", "timescales", "1,30"));
        assertEquals(List.of("g", "p", "momentum@0.5", "momentum@0.99", "second-moment", "momentum@0.5/sqrt(v)",
                "momentum@0.99/sqrt(v)", "1/sqrt(v)", "time@1", "time@30", "raw.adagrad", "raw.adam",
                "raw.parameter-rms"), f.channels());
        assertEquals(f.size(), f.channels().size());
        LoptFeatures heavy = features(Map.of("decays", "0.5,0.99", "timescales", "1,30", "nominal-momentum", "0.9"));
        assertEquals(f.channels(), heavy.channels().subList(0, f.size()));
        assertEquals("raw.momentum", heavy.channels().get(f.size()));
        assertEquals(f.savedLength(LAYOUT) + LAYOUT.dimension(), heavy.savedLength(LAYOUT));
    }
}
