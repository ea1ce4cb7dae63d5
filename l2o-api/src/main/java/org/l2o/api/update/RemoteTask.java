package org.l2o.api.update;

import java.util.concurrent.Callable;

/**
 * A rollout that can run in another JVM: besides running here ({@link #call}), it describes itself
 * as bytes that a worker turns into the same run, and decodes what the worker sends back. Both
 * sides give the same result bit for bit (the run depends only on its description). Descriptions
 * and results are compact versioned records their authors write, never Java serialization.
 *
 * <p>A {@link RolloutExecutor} that reaches other machines sends these and runs every other task
 * in process; one that does not simply calls them. A meta-trainer whose rollouts are remote tasks
 * says how a worker runs them through {@link org.l2o.api.meta.MetaTrainer#remote}.
 */
public interface RemoteTask<T> extends Callable<T> {

    /** Which handler runs the description on a worker, with the version of its record, e.g. {@code pes-unroll/1}. */
    String kind();

    /** Everything the run depends on. */
    byte[] description();

    /** The result a worker encoded. */
    T result(byte[] encoded);

    /**
     * A remote task from its parts: {@code local} runs it here, {@code description} writes it (when
     * it is sent, so it describes the state at that moment), {@code decode} reads a worker's answer.
     */
    static <T> RemoteTask<T> of(String kind, Callable<T> local, java.util.function.Supplier<byte[]> description,
                                java.util.function.Function<byte[], T> decode) {
        return new RemoteTask<>() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public byte[] description() {
                return description.get();
            }

            @Override
            public T result(byte[] encoded) {
                return decode.apply(encoded);
            }

            @Override
            public T call() throws Exception {
                return local.call();
            }
        };
    }

    /** A worker's side: runs a description of one of its kinds and returns the encoded result. */
    @FunctionalInterface
    interface Handler {
        byte[] run(String kind, byte[] description);

        /**
         * What a handler throws for a kind it does not run: the worker's l2o is not the driver's (an
         * older or newer trainer plugin).
         */
        static org.l2o.api.PluginException unknown(String trainer, String kind) {
            return new org.l2o.api.PluginException("trainer '" + trainer + "' runs no '" + kind
                    + "' rollouts: the worker's l2o differs from the driver's");
        }
    }
}
