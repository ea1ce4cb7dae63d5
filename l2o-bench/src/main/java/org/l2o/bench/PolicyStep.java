package org.l2o.bench;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.l2o.api.CreationContext;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.FeatureMap;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.PolicyProvider;
import org.l2o.kernels.PolicyRule;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * One step of the 2016 learned optimizer (the {@code mlp} policy, 50 softplus units, on the
 * {@code lm2016} history features: 25 value changes and 25 gradients per parameter) on
 * {@code size} parameters, as a run performs it: the feature update, the policy's mean and the move.
 * Its input grows as 25 (n + 1), so the sizes are the paper's problems (4 and 12 parameters) and
 * 10^3, not the coordinatewise sizes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PolicyStep {

    @Param({"4", "12", "1000"})
    public int size;

    private RunLoop run;
    private INDArray gradient;

    @Setup(Level.Trial)
    public void setUp() {
        FeatureMapProvider fp = Plugins.find(FeatureMapProvider.class, "lm2016");
        FeatureMap features = fp.create(fp.configure(Map.of()), CreationContext.defaults());
        ParameterLayout layout = new ParameterLayout(List.of(new CoordinateGroup("x", 0, List.of(size))));
        PolicyProvider pp = Plugins.find(PolicyProvider.class, "mlp");
        PolicyRule rule = new PolicyRule("mlp", features,
                pp.create(pp.configure(Map.of()), features.size(layout), size, new SplittableRandom(7)));
        SplittableRandom random = new SplittableRandom(8);
        run = new RunLoop(rule, layout, DenseVectors.of(random.doubles(size).toArray()),
                RunLoop.NO_EXTRA_EVALUATIONS);
        gradient = DenseVectors.of(random.doubles(size, -1, 1).toArray());
    }

    @Benchmark
    public double step() {
        return run.step(1.0, gradient);
    }
}
