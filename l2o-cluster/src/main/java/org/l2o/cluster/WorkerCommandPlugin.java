package org.l2o.cluster;

import org.l2o.runtime.CommandPlugin;

/** Contributes {@code l2o worker} to the command line. */
public final class WorkerCommandPlugin implements CommandPlugin {

    @Override
    public Class<?> command() {
        return WorkerCommand.class;
    }
}
