package org.l2o.objectives.synthetic;

import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;

/** An objective family given by its id and a sampler. */
record Family(String id, Function<RandomGenerator, Objective> sampler) implements ObjectiveFamily {
    @Override
    public Objective sample(RandomGenerator random) {
        return sampler.apply(random);
    }
}
