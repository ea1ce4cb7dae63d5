package org.l2o.api.meta;

/**
 * What a meta-trainer carries from one iteration to the next: the persistent part, which
 * {@link #write} puts into a checkpoint and {@link MetaTrainer#restore} reads back, and whatever
 * the trainer derived from the request once (training and validation objectives, layouts), which
 * is rebuilt on restore and never written.
 *
 * <p>Lifecycle: made by {@link MetaTrainer#start} or {@link MetaTrainer#restore}, handed to
 * {@link MetaTrainer#iterate}, which returns the state for the next iteration; the loop never uses a
 * state again after handing it on, so a trainer may update it in place and return it. Confined to
 * the loop's thread.
 */
public interface TrainerState {

    /** Writes the persistent part, so that {@link MetaTrainer#restore} continues bit for bit. */
    void write(CheckpointWriter out);
}
