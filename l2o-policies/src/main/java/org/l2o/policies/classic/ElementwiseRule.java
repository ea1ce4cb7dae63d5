package org.l2o.policies.classic;

import java.nio.ByteBuffer;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.FlatStateRule;
import org.l2o.api.update.InPlaceUpdateRule;
import org.l2o.api.update.Observation;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;

/**
 * A classic rule whose update is elementwise (SGD, momentum, AdaGrad, RMSprop, Adam): the rule
 * supplies one fused loop, {@link #kernel}, and gets both paths from it. The immutable
 * {@link #step} copies the state's buffers and returns {@code dx}; the in-place {@link #update}
 * advances the run's own buffers and moves {@code x}, with bulk copies between the native vectors
 * and scratch arrays it keeps, so a step allocates nothing. Both run the same kernel on the same
 * values, so they give bit-identical iterates. Where the JDK's incubating Vector API is present
 * ({@code --add-modules jdk.incubator.vector}, as the l2o launcher passes), {@link #update} instead
 * runs {@link #simdUpdate}: one pass of vector instructions over the native vectors, with the
 * same iterates again and no copies ({@code -Dl2o.simd=false} turns it off). Its state, the step
 * count and the buffers, is flat ({@link FlatStateRule}), so a host framework can keep it.
 */
interface ElementwiseRule extends InPlaceUpdateRule, FlatStateRule {

    /** PyTorch's coupled L2 weight decay: the kernel sees {@code g + decay * x}. */
    double weightDecay();

    /** Number of per-coordinate buffers (moment estimates and the like) the rule keeps. */
    int bufferCount();

    /** Fills fresh buffers before the first step; zeros unless overridden. */
    default void initialise(double[][] buffers) {
    }

    /**
     * Step {@code t} (1 for the first) for every coordinate: reads {@code g} (and {@code x}),
     * advances {@code buffers} in place, writes the step into {@code dx}.
     */
    void kernel(int t, double[] x, double[] g, double[][] buffers, double[] dx);

    /**
     * Step {@code t} in place on the native iterate {@code x} and gradient {@code g} ({@code n}
     * doubles each) through {@link SimdSteps}, weight decay included: moves x, advances the
     * buffers and returns the squared norm of the step. Called only when {@link Simd#ENABLED}.
     */
    double simdUpdate(int t, ByteBuffer x, ByteBuffer g, int n, double[][] buffers);

    /** Whether this JVM can run {@link #simdUpdate}: the Vector API module is readable and has lanes. */
    final class Simd {
        static final boolean ENABLED = org.l2o.kernels.Simd.available(Simd.class.getModule(), () -> SimdSteps.lanes());

        private Simd() {
        }
    }

    /** Per-run memory: the step count, the buffers and, for the in-place path, scratch arrays. */
    final class Memory implements RuleState {
        int t;
        final double[][] buffers;
        double[] x;
        double[] g;
        double[] dx;
        final DenseVectors.NativeView xView = new DenseVectors.NativeView();
        final DenseVectors.NativeView gView = new DenseVectors.NativeView();

        Memory(int t, double[][] buffers) {
            this.t = t;
            this.buffers = buffers;
        }

        Memory copy() {
            double[][] b = new double[buffers.length][];
            for (int i = 0; i < b.length; i++) {
                b[i] = buffers[i].clone();
            }
            return new Memory(t, b);
        }
    }

    private Memory fresh(ParameterLayout layout) {
        double[][] b = new double[bufferCount()][layout.dimension()];
        initialise(b);
        return new Memory(0, b);
    }

    /** The buffers per coordinate, and one slot per group of which the first holds the step count. */
    @Override
    default long stateLength(long size) {
        return Math.addExact(Math.multiplyExact((long) bufferCount(), size), 1);
    }

    /** Layout of the saved state: the step count, then each buffer in turn. */
    @Override
    default void save(RuleState state, ParameterLayout layout, double[] into) {
        Memory m = (Memory) state;
        int n = layout.dimension();
        into[0] = m.t;
        for (int b = 0; b < m.buffers.length; b++) {
            System.arraycopy(m.buffers[b], 0, into, 1 + b * n, n);
        }
    }

    @Override
    default RuleState load(ParameterLayout layout, double[] from) {
        int n = layout.dimension();
        double[][] buffers = new double[bufferCount()][];
        for (int b = 0; b < buffers.length; b++) {
            buffers[b] = java.util.Arrays.copyOfRange(from, 1 + b * n, 1 + (b + 1) * n);
        }
        double t = from[0];
        if (!(t >= 0 && t <= Integer.MAX_VALUE && t == Math.rint(t))) {
            throw new IllegalArgumentException(spec() + ": saved state has step count " + t
                    + ", expected a non-negative whole number");
        }
        return new Memory((int) t, buffers);
    }

    @Override
    default RuleState init(ParameterLayout layout) {
        return fresh(layout);
    }

    @Override
    default RuleState initInPlace(ParameterLayout layout) {
        return fresh(layout);
    }

    @Override
    default Step step(Observation o, RuleState state) {
        Memory m = ((Memory) state).copy();
        double[] g = DenseVectors.read(o.gradient());
        double[] x = DenseVectors.read(o.x());
        decay(g, x);
        m.t++;
        double[] dx = new double[g.length];
        kernel(m.t, x, g, m.buffers, dx);
        return new Step(DenseVectors.of(dx), m);
    }

    @Override
    default double update(Observation o, RuleState state) {
        Memory m = (Memory) state;
        int n = (int) o.x().length();
        if (Simd.ENABLED && o.gradient().length() == n) {
            ByteBuffer x = m.xView.of(o.x());
            ByteBuffer g = x == null ? null : m.gView.of(o.gradient());
            if (g != null) {
                m.t++;
                return Math.sqrt(simdUpdate(m.t, x, g, n, m.buffers));
            }
        }
        if (m.x == null) {
            m.x = new double[n];
            m.g = new double[n];
            m.dx = new double[n];
        }
        double[] x = DenseVectors.read(o.x(), m.x);
        double[] g = DenseVectors.read(o.gradient(), m.g);
        decay(g, x);
        m.t++;
        kernel(m.t, x, g, m.buffers, m.dx);
        double[] dx = m.dx;
        for (int i = 0; i < n; i++) {
            x[i] += dx[i];
        }
        DenseVectors.write(x, o.x());
        return DenseVectors.norm2(dx);
    }

    private void decay(double[] g, double[] x) {
        double decay = weightDecay();
        if (decay != 0) {
            for (int i = 0; i < g.length; i++) {
                g[i] += decay * x[i];
            }
        }
    }
}
