package org.l2o.bench;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.kernels.CoordinatewiseRule;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.CreationContext;
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
 * One step of a coordinatewise LSTM optimizer on {@code size} coordinates, as a run performs it:
 * the policy over all coordinates with their recurrent states, and the move {@code x + dx}.
 * Inference only (no tape). {@code policy=l2l}: two layers of 20 cells on log/sign gradient inputs
 * (the Andrychowicz et al. network, default parameters of {@code lstm-coordinatewise});
 * {@code policy=lm2017}: one layer of 128 cells on the three observation features of Li and Malik
 * 2017, their computation from the history included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LearnedStep {

    @Param({"1000", "10000", "100000"})
    public int size;

    @Param({"l2l"})
    public String policy;

    private RunLoop run;
    private INDArray gradient;

    @Setup(Level.Trial)
    public void setUp() {
        CoordinatewisePolicyProvider provider = Plugins.find(CoordinatewisePolicyProvider.class, "lstm-coordinatewise");
        UpdateRule update;
        if (policy.equals("lm2017")) {
            FeatureMapProvider features = Plugins.find(FeatureMapProvider.class, "lm2017");
            update = new CoordinatewiseRule("lstm-coordinatewise", provider.create(provider.configure(Map.of("layers",
                    "128", "preprocess", "none", "inputs", "3")), new SplittableRandom(5)),
                    (CoordinatewiseInputs) features.create(features.configure(Map.of()), CreationContext.defaults()));
        } else {
            update = new CoordinatewiseRule("lstm-coordinatewise",
                    provider.create(provider.configure(Map.of()), new SplittableRandom(5)));
        }
        SplittableRandom random = new SplittableRandom(6);
        run = new RunLoop(update, new ParameterLayout(List.of(new CoordinateGroup("x", 0, List.of(size)))),
                Nd4j.createFromArray(random.doubles(size).toArray()), RunLoop.NO_EXTRA_EVALUATIONS);
        gradient = Nd4j.createFromArray(random.doubles(size, -1, 1).toArray());
    }

    @Benchmark
    public double step() {
        return run.step(0.0, gradient);
    }
}
