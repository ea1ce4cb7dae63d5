package org.l2o.api.meta;

/**
 * A meta-training algorithm as a step function: {@link #start} (or {@link #restore} from a
 * checkpoint) makes the state, {@link #iterate} runs one iteration and returns the next state and
 * the candidate optimizer. A trainer holds the mathematics only (GPS: sample, fit dynamics, solve
 * the LQR, regress; BPTT: unroll and backpropagate); {@link MetaTrainingLoop} supplies the rest for
 * every trainer alike: the iteration budget, keeping the best candidate, divergence checks,
 * timings, progress, and the checkpoint that makes a resumed run continue bit for bit.
 *
 * <p>Lifecycle and threads: configured once by its provider, immutable, and reusable for any number
 * of runs; a run's state is confined to the loop's thread. Determinism: for a given request seed a
 * single-threaded run gives the same candidates bit for bit, whether uninterrupted or resumed.
 */
public interface MetaTrainer {

    /** The iteration budget, from the trainer's configuration (its {@code iterations} parameter). */
    int iterations();

    /** The state before the first iteration; may report progress, e.g. of initial tuning. */
    TrainerState start(MetaTrainingRequest request, MetaTrainingListener listener);

    /** The state {@link TrainerState#write} wrote, for the same request. */
    TrainerState restore(MetaTrainingRequest request, CheckpointReader in);

    /** Runs iteration {@code iteration} (0-based) from {@code state}, which this call owns from now on. */
    Iteration iterate(TrainerState state, int iteration, MetaTrainingListener listener);

    /** A hint appended to the message when training costs stop being finite, e.g. "try a smaller lr". */
    default String divergenceAdvice() {
        return "";
    }

    /**
     * How a worker in another JVM runs this trainer's {@link org.l2o.api.update.RemoteTask}s for
     * {@code request}: the runtime rebuilds the request and the trainer there from their ids and
     * configurations, asks once for the handler and passes it every description of that job. A
     * trainer whose rollouts are plain callables keeps the default: they never leave the process.
     */
    default org.l2o.api.update.RemoteTask.Handler remote(MetaTrainingRequest request) {
        return (kind, description) -> {
            throw new org.l2o.api.PluginException("this trainer runs no remote rollouts (asked for '" + kind + "')");
        };
    }

    /** Runs meta-training to completion through {@link MetaTrainingLoop}. */
    default MetaTrainingResult train(MetaTrainingRequest request, MetaTrainingListener listener) {
        return MetaTrainingLoop.run(this, request, listener);
    }
}
