package org.l2o.runtime.run;

import org.l2o.api.update.RolloutExecutor;

/** A rollout executor a command opens and closes: threads of this JVM, or a cluster's workers too. */
public interface OpenRollouts extends RolloutExecutor, AutoCloseable {

    @Override
    void close();
}
