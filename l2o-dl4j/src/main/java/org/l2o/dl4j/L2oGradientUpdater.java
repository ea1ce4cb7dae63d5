package org.l2o.dl4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.FlatStateRule;
import org.l2o.api.update.InPlaceUpdateRule;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Oracle;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.UpdateRule;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an l2o rule on one DL4J updater block: turns the block's gradient into the update DL4J
 * subtracts from the parameters ({@code x - x'}, that is {@code -dx}), in place.
 *
 * <p>The state view is the truth: every step loads the rule's state from the view and writes the
 * next state back, so whatever DL4J puts into the view (a restored model's saved state, which it
 * copies in without telling the block's updater) is what the next step continues from. Slot 0
 * counts the block's steps; a flat rule's state follows it.
 */
final class L2oGradientUpdater implements GradientUpdater<L2oUpdater> {

    /** The key of the state in SameDiff's state map. */
    static final String STATE = "L2O_STATE";

    private static final Logger LOG = LoggerFactory.getLogger(L2oGradientUpdater.class);

    private final L2oUpdater config;
    private final UpdateRule rule;
    private INDArray view;

    /** Set by {@link #bind}: the block this updater serves, its tensors, and the network's parameters. */
    private UpdaterBlock block;
    private ParameterLayout layout;
    private INDArray parameters;
    private double value = Double.NaN;

    /** SameDiff's path: one variable per updater, its shape given by {@link #setStateViewArray}. */
    private boolean standalone;

    /** The state of a rule that is not flat, which lives only here. */
    private RuleState memory;
    private long evaluations;

    /** Arrays reused from step to step (a block's updater runs on one thread at a time). */
    private double[] scratchG;
    private double[] scratchX;
    private double[] scratchState;

    L2oGradientUpdater(L2oUpdater config, INDArray view, boolean initialize) {
        this.config = config;
        this.rule = config.rule();
        this.view = view == null ? null : view.reshape(view.length());
        if (initialize && this.view != null) {
            this.view.assign(0);
        }
    }

    /** Called before each update by the listener {@link L2oUpdater#attach} adds. */
    void bind(UpdaterBlock block, INDArray networkParameters, double value) {
        if (block != this.block) {
            this.layout = layoutOf(block);
            this.block = block;
        }
        this.parameters = networkParameters.reshape(networkParameters.length());
        this.value = value;
    }

    /** One coordinate group per parameter tensor of the block, named as DL4J keys gradients: layer name, underscore, parameter ({@code layer0_W}). */
    private static ParameterLayout layoutOf(UpdaterBlock block) {
        List<CoordinateGroup> groups = new ArrayList<>();
        int start = block.getParamOffsetStart();
        for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
            int size = p.getParamOffsetEnd() - p.getParamOffsetStart();
            if (size == 0) {
                continue;
            }
            // the block holds flat slices; the layer's parameter table has the tensors' shapes
            INDArray tensor = p.getLayer().paramTable(false).get(p.getParamName());
            List<Integer> shape = tensor != null && tensor.length() == size ? NetworkObjective.shape(tensor.shape())
                    : List.of(size);
            groups.add(new CoordinateGroup(p.getLayer().getConfig().getLayerName() + "_" + p.getParamName(),
                    p.getParamOffsetStart() - start, shape));
        }
        return new ParameterLayout(groups);
    }

    @Override
    public L2oUpdater getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        INDArray state = stateMap.get(STATE);
        if (state == null || stateMap.size() != 1) {
            throw new IllegalStateException(config + ": expected an updater state map with the single key " + STATE
                    + ", got the keys " + stateMap.keySet());
        }
        this.view = state.reshape(state.length());
        this.standalone = true;
        if (initialize) {
            this.view.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> m = new HashMap<>();
        if (view != null) {
            m.put(STATE, view);
        }
        return m;
    }

    /** SameDiff's path: the view belongs to one variable of this shape. */
    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        this.view = viewArray == null ? null : viewArray.reshape(viewArray.length());
        this.standalone = true;
        this.layout = new ParameterLayout(List.of(new CoordinateGroup("variable", 0,
                NetworkObjective.shape(gradientShape))));
        if (initialize && view != null) {
            view.assign(0);
        }
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        long n = gradient.length();
        if (layout == null && standalone) {
            layout = ParameterLayout.single(Math.toIntExact(n));
        }
        if (layout == null) {
            throw new IllegalStateException(config + " is not attached to its network: call L2oUpdater.attach(network) "
                    + "after init(); its listener gives the updater each step's loss and the network's parameter tensors");
        }
        if (layout.dimension() != n) {
            throw new IllegalStateException(config + ": the updater block holds " + layout.dimension()
                    + " parameters but received a gradient of " + n);
        }
        evaluations++;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (scratchG == null || scratchG.length != n) {
                scratchG = new double[(int) n];
                scratchX = new double[(int) n];
            }
            double[] g = Buffers.read(gradient.reshape(n), scratchG);
            double[] x = parameters != null && block != null
                    ? Buffers.read(parameters.get(NDArrayIndex.interval(block.getParamOffsetStart(),
                    block.getParamOffsetEnd())), scratchX)
                    : unknown((int) n);
            INDArray point = DenseVectors.of(x);
            Observation observation = new Observation(iteration, point, value, DenseVectors.of(g), oracle());
            double[] update;
            if (rule instanceof InPlaceUpdateRule inPlace && rule instanceof FlatStateRule && view != null) {
                // a state loaded for this step alone may be advanced in place: no copies of it
                RuleState state = load(true);
                inPlace.update(observation, state);
                update = DenseVectors.read(point, g);
                for (int i = 0; i < update.length; i++) {
                    update[i] = x[i] - update[i];
                }
                save(state);
            } else {
                Step step = rule.step(observation, load(false));
                update = DenseVectors.read(step.dx(), g);
                for (int i = 0; i < update.length; i++) {
                    update[i] = -update[i];
                }
                save(step.next());
            }
            Buffers.write(update, gradient.reshape(n));
        } finally {
            // a value belongs to one step: a step the listener did not precede must not reuse it
            value = Double.NaN;
        }
    }

    /** The state the view holds (a fresh one before the first step), as the in-place or the immutable path takes it. */
    private RuleState load(boolean inPlace) {
        long steps = view == null ? 0 : (long) view.getDouble(0);
        if (rule instanceof FlatStateRule flat && view != null) {
            if (steps == 0) {
                return inPlace ? ((InPlaceUpdateRule) rule).initInPlace(layout) : rule.init(layout);
            }
            long length = flat.stateLength(layout);
            double[] saved = Buffers.read(view.get(NDArrayIndex.interval(1, 1 + length)), stateScratch(length));
            return inPlace ? flat.loadInPlace(layout, saved) : flat.load(layout, saved);
        }
        if (memory == null) {
            if (steps > 0) {
                LOG.warn("{}: the optimizer's state after {} steps is not in DL4J's updater state (only flat states "
                        + "are); continuing from a fresh state", config, steps);
            }
            memory = rule.init(layout);
        }
        return memory;
    }

    private void save(RuleState next) {
        if (rule instanceof FlatStateRule flat && view != null) {
            double[] saved = stateScratch(flat.stateLength(layout));
            flat.save(next, layout, saved);
            Buffers.write(saved, view.get(NDArrayIndex.interval(1, 1 + saved.length)));
        } else {
            memory = next;
        }
        if (view != null) {
            view.putScalar(0, view.getDouble(0) + 1);
        }
    }

    /** A reusable array for the flat state ({@link FlatStateRule#load} copies what it keeps). */
    private double[] stateScratch(long length) {
        if (scratchState == null || scratchState.length != length) {
            scratchState = new double[Math.toIntExact(length)];
        }
        return scratchState;
    }

    /**
     * The parameters where the updater cannot see them (SameDiff hands it only the gradient): NaN,
     * so a rule that reads them fails loudly instead of stepping from a wrong point.
     */
    private static double[] unknown(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, Double.NaN);
        return x;
    }


    /** DL4J's updater cannot evaluate the network again within a step, as line searches need. */
    private Oracle oracle() {
        return new Oracle() {
            @Override
            public Evaluation evaluate(INDArray x) {
                throw new UnsupportedOperationException(config + ": this optimizer evaluates the objective again within "
                        + "a step (a line search), which a DL4J updater cannot do; use a first-order optimizer");
            }

            @Override
            public long evaluations() {
                return evaluations;
            }
        };
    }
}
