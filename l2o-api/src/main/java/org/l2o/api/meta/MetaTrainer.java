package org.l2o.api.meta;

/**
 * A meta-training algorithm: learns an optimizer from training objectives. Deterministic for a
 * given request seed when run single-threaded. Instances are configured once and may be reused.
 */
public interface MetaTrainer {

    /** Runs meta-training to completion, reporting progress to {@code listener}. */
    MetaTrainingResult train(MetaTrainingRequest request, MetaTrainingListener listener);
}
