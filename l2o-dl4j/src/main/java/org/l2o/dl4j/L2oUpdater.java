package org.l2o.dl4j;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.l2o.api.CreationContext;
import org.l2o.api.update.FlatStateRule;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Any l2o optimizer as a Deeplearning4j updater configuration. Three lines put a learned
 * optimizer into a DL4J network:
 *
 * <pre>{@code
 * var conf = new NeuralNetConfiguration.Builder().updater(new L2oUpdater("learned:mnist-v1"))...build();
 * var net = new MultiLayerNetwork(conf); net.init();
 * L2oUpdater.attach(net);   // tells the updater each step's loss and where each tensor ends
 * }</pre>
 *
 * <p>The SPEC is any optimizer {@code l2o evaluate} accepts ({@code adam:lr=0.001},
 * {@code learned:FILE.l2o}, a shipped pretrained name). The configuration holds only the SPEC: it
 * survives {@code toJson()}/{@code fromJson()} and {@code ModelSerializer}, and equal SPECs are
 * equal configurations (so DL4J fuses their tensors into one updater block, whose per-tensor
 * boundaries {@link #attach} recovers).
 *
 * <p>State: a rule whose state is flat ({@link FlatStateRule}, every classic elementwise rule)
 * keeps it entirely in DL4J's updater state view, so a saved and restored network continues
 * exactly as an uninterrupted one. Any other rule keeps its state in this JVM's memory; the view
 * then holds only the step count, and a restored network continues from a fresh optimizer state
 * with a warning.
 *
 * <p>Limits: rules that evaluate the objective again within a step (line searches: {@code cg},
 * {@code lbfgs}) cannot run inside DL4J's updater and fail at their first step. DL4J's
 * {@code setLearningRate} cannot change an l2o optimizer's step size: write it into the SPEC.
 */
public final class L2oUpdater implements IUpdater {

    private static final long serialVersionUID = 1L;

    /** Rules resolved from their SPEC; rules are immutable, so DL4J's copies of a configuration share one. */
    private static final ConcurrentMap<String, UpdateRule> RESOLVED = new ConcurrentHashMap<>();

    private static volatile PluginRegistry registry;

    private final String spec;
    private transient volatile UpdateRule rule;

    /**
     * An updater running the optimizer {@code spec} names.
     *
     * @throws org.l2o.api.L2oException naming what is wrong with an unknown id, a bad parameter or an
     *                                  unreadable learned file
     */
    @JsonCreator
    public L2oUpdater(@JsonProperty("spec") String spec) {
        this.spec = Objects.requireNonNull(spec, "spec").strip();
        this.rule = resolve(this.spec);
    }

    private L2oUpdater(String spec, UpdateRule rule) {
        this.spec = spec;
        this.rule = rule;
    }

    /**
     * An updater running a rule the application built itself. Its configuration records the rule's
     * {@link UpdateRule#spec()}: after a JSON or Java-serialisation round trip that SPEC is resolved
     * again, so it must name an optimizer this JVM can create.
     */
    public static L2oUpdater of(UpdateRule rule) {
        Objects.requireNonNull(rule, "rule");
        return new L2oUpdater(rule.spec(), rule);
    }

    /**
     * Adds the listener that binds every l2o updater block of {@code network} (a
     * {@code MultiLayerNetwork} or {@code ComputationGraph}) before each update: it hands the block
     * the minibatch loss, which DL4J's updaters never see, and the boundaries of the parameter
     * tensors DL4J fused into the block. Call it after {@code init()} and after any
     * {@code setListeners}, which replaces the listeners; attaching twice adds one listener.
     *
     * @return {@code network}
     */
    public static <M extends Model> M attach(M network) {
        Objects.requireNonNull(network, "network");
        java.util.Collection<TrainingListener> listeners;
        if (network instanceof MultiLayerNetwork n) {
            listeners = n.getListeners();
        } else if (network instanceof ComputationGraph g) {
            listeners = g.getListeners();
        } else {
            throw new IllegalArgumentException("L2oUpdater.attach: expected a MultiLayerNetwork or ComputationGraph, got "
                    + network.getClass().getName());
        }
        if (listeners == null || listeners.stream().noneMatch(StepBinder.class::isInstance)) {
            network.addListeners(new StepBinder());
        }
        return network;
    }

    /** The listener {@link #attach} adds, for applications that manage a network's listener list themselves. */
    public static TrainingListener listener() {
        return new StepBinder();
    }

    /** The optimizer SPEC this configuration runs. */
    public String spec() {
        return spec;
    }

    /** The rule this configuration runs. */
    public UpdateRule rule() {
        UpdateRule r = rule;
        if (r == null) {
            r = resolve(spec);
            rule = r;
        }
        return r;
    }

    private static UpdateRule resolve(String spec) {
        return RESOLVED.computeIfAbsent(spec, s -> registry().createOptimizer(s, CreationContext.defaults()));
    }

    private static PluginRegistry registry() {
        PluginRegistry r = registry;
        if (r == null) {
            synchronized (L2oUpdater.class) {
                r = registry;
                if (r == null) {
                    r = PluginRegistry.discover();
                    registry = r;
                }
            }
        }
        return r;
    }

    /**
     * One slot for the block's step count (it tells a fresh state from a restored one), then the
     * rule's own state where it is flat.
     */
    @Override
    public long stateSize(long numParams) {
        if (numParams <= 0) {
            return 0;
        }
        return rule() instanceof FlatStateRule flat ? Math.addExact(1, flat.stateLength(numParams)) : 1;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        return new L2oGradientUpdater(this, viewArray, initializeViewArray);
    }

    /** SameDiff's path: the state arrives as a map with the single key {@link L2oGradientUpdater#STATE}. */
    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        L2oGradientUpdater u = new L2oGradientUpdater(this, null, false);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public L2oUpdater clone() {
        return new L2oUpdater(spec, rule);
    }

    /** Not a DL4J step size: an l2o optimizer's step size lives in its SPEC. */
    @Override
    public double getLearningRate(int iteration, int epoch) {
        return Double.NaN;
    }

    @Override
    public boolean hasLearningRate() {
        return false;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        throw new UnsupportedOperationException("L2oUpdater(" + spec + "): the step size of an l2o optimizer is "
                + "part of its SPEC (e.g. adam:lr=" + lr + "); build a new L2oUpdater instead");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof L2oUpdater u && u.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    @Override
    public String toString() {
        return "L2oUpdater(" + spec + ")";
    }
}
