package org.l2o.gps;

import java.util.List;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.UpdateRule;

/** How well a policy does as an optimizer: what both GPS trainers validate with. */
final class PolicyCost {

    private PolicyCost() {
    }

    /**
     * Mean true objective over steps 1..T of {@code rule} run from each condition's start, averaged
     * over conditions (the meta-loss per step); infinite when a run stops early (non-finite values).
     */
    static double of(UpdateRule rule, List<Condition> conditions, int horizon, IntFunction<RandomGenerator> batches) {
        double total = 0;
        for (Condition c : conditions) {
            Rollout.Result r = Rollout.run(c.objective(), rule, c.start(), horizon, batches.apply(c.index()));
            if (r.stoppedEarly(horizon)) {
                return Double.POSITIVE_INFINITY;
            }
            double s = 0;
            for (int t = 1; t <= horizon; t++) {
                s += r.values()[t];
            }
            total += s / horizon;
        }
        return total / conditions.size();
    }
}
