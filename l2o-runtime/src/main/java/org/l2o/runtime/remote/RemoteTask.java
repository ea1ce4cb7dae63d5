package org.l2o.runtime.remote;

import java.util.concurrent.Callable;

/**
 * A rollout that can run in another JVM: besides running here ({@link #call}), it describes itself
 * as bytes that a worker's {@link RemoteTasks} turns into the same run, and decodes what the worker
 * sends back. Both sides give the same result bit for bit (the run depends only on its description).
 * Descriptions and results are compact versioned records written here, never Java serialization.
 */
public interface RemoteTask<T> extends Callable<T> {

    /** Which handler runs the description on a worker (see {@link RemoteTasks}). */
    String kind();

    /** Everything the run depends on. */
    byte[] description();

    /** The result a worker encoded. */
    T result(byte[] encoded);
}
