package org.l2o.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.l2o.api.CreationContext;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.kernels.CoordinatewiseRule;
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
 * One training step of an MLP classifier on MNIST as a run performs it ({@code Rollout}'s loop
 * without the true-objective evaluation): a minibatch estimate (forward and backward pass) and
 * the update rule's step (in place where the rule can). The case names the net (inputs randomly
 * projected where the first size is not 784), the minibatch, the rule and the precision of the
 * passes, e.g. {@code 784-100-10/64/adam/f32}. Rules use the learning rates a user would tune to (Adam 1e-3,
 * momentum 0.1 with 0.9), which do not change the cost of a step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MlpTrainingStep {

    /** The cases of the performance issue ({@code l2o bench} passes its own list). */
    @Param({"784-100-10/64/adam/f32", "784-100-10/64/adam/f64", "48-48-10/64/adam/f32", "100-200-10/64/adam/f32"})
    public String benchCase;


    private Objective objective;
    private RandomGenerator random;
    private RunLoop run;
    /** The run's gradient buffer, refilled every step as {@code Rollout} does for in-place rules. */
    private INDArray gradient;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = benchCase.split("/");
        String[] sizes = parts[0].split("-");
        int inputs = Integer.parseInt(sizes[0]);
        StringBuilder hidden = new StringBuilder();
        for (int i = 1; i + 1 < sizes.length; i++) {
            hidden.append(i > 1 ? "," : "").append(sizes[i]);
        }
        ObjectiveProvider provider = Plugins.find(ObjectiveProvider.class, "mlp-classifier");
        String data = System.getProperty("l2o.data", "");
        CreationContext context = new CreationContext(data.isEmpty() ? Optional.empty() : Optional.of(Path.of(data)), 0);
        objective = provider.create(provider.configure(Map.of("dataset", "mnist", "hidden", hidden.toString(),
                "activation", "sigmoid", "batch", parts[1], "project", inputs == 784 ? "0" : sizes[0],
                "eval-samples", "1000", "precision", parts[3].equals("f32") ? "float" : "double")), context).sample(new SplittableRandom(1));
        UpdateRule rule = switch (parts[2]) {
            case "adam" -> Plugins.rule("adam", "lr=0.001");
            case "momentum" -> Plugins.rule("momentum", "lr=0.1,momentum=0.9");
            // the learned optimizer of issue 15: the default 32,32 MLP and the 16-unit one meta-trained
            case "lopt" -> lopt("32,32");
            case "lopt16" -> lopt("16");
            default -> throw new IllegalArgumentException("unknown rule in case " + benchCase);
        };
        random = new SplittableRandom(2);
        gradient = Nd4j.createUninitialized(DataType.DOUBLE, objective.dimension());
        run = new RunLoop(rule, objective.layout(), objective.initialPoint(new SplittableRandom(3)),
                RunLoop.NO_EXTRA_EVALUATIONS);
    }

    @Benchmark
    public double step() {
        return run.step(objective.estimateInto(run.x(), random, gradient), gradient);
    }

    /** mlp-lopt with these hidden widths on the default lopt features; fresh weights (the cost does not depend on them). */
    private static UpdateRule lopt(String hidden) {
        CoordinatewisePolicyProvider provider = Plugins.find(CoordinatewisePolicyProvider.class, "mlp-lopt");
        FeatureMapProvider features = Plugins.find(FeatureMapProvider.class, "lopt");
        return new CoordinatewiseRule("mlp-lopt", provider.create(provider.configure(Map.of("hidden", hidden)),
                new SplittableRandom(5)), (CoordinatewiseInputs) features.create(features.configure(Map.of()),
                CreationContext.defaults()));
    }
}
