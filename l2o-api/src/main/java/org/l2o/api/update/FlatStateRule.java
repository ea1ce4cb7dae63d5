package org.l2o.api.update;

import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;

/**
 * An update rule whose per-run state is a fixed number of doubles per coordinate group, known
 * before the run starts. Such a state can live in a host framework's flat state array (a
 * Deeplearning4j updater view, which a saved model carries) and be restored exactly: {@link #load}
 * of what {@link #save} wrote continues the run as if it had never been interrupted.
 *
 * <p>The length is additive over groups: a run on a layout needs at most the sum of
 * {@link #stateLength(long)} over its groups, so a host that reserves state tensor by tensor (as
 * Deeplearning4j does, before it fuses tensors with equal configurations into one block) always
 * has room for the block's state.
 */
public interface FlatStateRule extends UpdateRule {

    /** Doubles of state a coordinate group of {@code size} coordinates adds. */
    long stateLength(long size);

    /** Doubles of state a run on {@code layout} needs: the sum over its groups. */
    default long stateLength(ParameterLayout layout) {
        long total = 0;
        for (CoordinateGroup g : layout.groups()) {
            total = Math.addExact(total, stateLength(g.size()));
        }
        return total;
    }

    /**
     * Writes {@code state}, a state of a run on {@code layout} made by this rule, into the first
     * {@code stateLength(layout)} entries of {@code into}.
     */
    void save(RuleState state, ParameterLayout layout, double[] into);

    /** The state {@link #save} wrote into {@code from}; independent of the array afterwards. */
    RuleState load(ParameterLayout layout, double[] from);

    /**
     * For a rule that is also an {@link InPlaceUpdateRule}: the saved state as
     * {@link InPlaceUpdateRule#update} takes it, owned by the caller. By default {@link #load},
     * for rules whose immutable and in-place states are of one kind; {@link #save} accepts
     * either.
     */
    default RuleState loadInPlace(ParameterLayout layout, double[] from) {
        return load(layout, from);
    }
}
