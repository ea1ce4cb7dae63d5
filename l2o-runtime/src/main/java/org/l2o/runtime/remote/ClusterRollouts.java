package org.l2o.runtime.remote;

import org.l2o.runtime.run.OpenRollouts;

/** A driver's executor on a cluster; closing it leaves the cluster. */
public interface ClusterRollouts extends OpenRollouts {

    /** One line for the console: the cluster, its workers and their slots. */
    String describe();

    /** Tasks that ran on workers so far (re-runs after a worker left included). */
    long remoteRuns();
}
