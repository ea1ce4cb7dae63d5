package org.l2o.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One step of a classic update rule on {@code size} parameters with a fixed gradient, as a run
 * performs it (in place where the rule can). {@link #boundLoop} is the reference
 * the issue measures against: the same update done in place in one fused loop over plain arrays
 * (the same arrays read and written), which is bound by memory bandwidth.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OptimizerStep {

    @Param({"sgd", "momentum", "adagrad", "rmsprop", "adam"})
    public String rule;

    @Param({"1000", "10000", "100000", "1000000"})
    public int size;

    private RunLoop run;
    private INDArray gradient;
    private double[] px;
    private double[] pg;
    private double[] m;
    private double[] v;
    private int t;

    @Setup(Level.Trial)
    public void setUp() {
        UpdateRule update = Plugins.rule(rule, switch (rule) {
            case "momentum" -> "lr=0.01,momentum=0.9";
            case "sgd" -> "lr=0.01";
            default -> "lr=0.001";
        });
        ParameterLayout layout = new ParameterLayout(java.util.List.of(
                new CoordinateGroup("x", 0, java.util.List.of(size))));
        SplittableRandom random = new SplittableRandom(4);
        px = random.doubles(size).toArray();
        pg = random.doubles(size, -1, 1).toArray();
        m = new double[size];
        v = new double[size];
        gradient = Nd4j.createFromArray(pg.clone());
        run = new RunLoop(update, layout, Nd4j.createFromArray(px.clone()), RunLoop.NO_EXTRA_EVALUATIONS);
    }

    @Benchmark
    public double platform() {
        return run.step(0.0, gradient);
    }

    /** The same update in place, one fused loop over plain arrays (constants as for the rule). */
    @Benchmark
    public double[] boundLoop() {
        double[] x = px;
        double[] g = pg;
        int n = size;
        switch (rule) {
            case "sgd" -> {
                for (int i = 0; i < n; i++) {
                    x[i] -= 0.01 * g[i];
                }
            }
            case "momentum" -> {
                for (int i = 0; i < n; i++) {
                    m[i] = 0.9 * m[i] + g[i];
                    x[i] -= 0.01 * m[i];
                }
            }
            case "adagrad" -> {
                for (int i = 0; i < n; i++) {
                    v[i] += g[i] * g[i];
                    x[i] -= 0.001 * g[i] / (Math.sqrt(v[i]) + 1e-10);
                }
            }
            case "rmsprop" -> {
                for (int i = 0; i < n; i++) {
                    v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
                    x[i] -= 0.001 * g[i] / (Math.sqrt(v[i]) + 1e-8);
                }
            }
            default -> {
                t++;
                double stepSize = 0.001 / (1 - Math.pow(0.9, t));
                double root = Math.sqrt(1 - Math.pow(0.999, t));
                for (int i = 0; i < n; i++) {
                    m[i] = 0.9 * m[i] + 0.1 * g[i];
                    v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                    x[i] -= stepSize * m[i] / (Math.sqrt(v[i]) / root + 1e-8);
                }
            }
        }
        return x;
    }
}
