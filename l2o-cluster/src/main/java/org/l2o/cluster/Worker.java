package org.l2o.cluster;

import java.util.concurrent.atomic.AtomicLong;
import org.l2o.api.PluginException;
import org.l2o.runtime.remote.RemoteTasks;

/** The worker side of this JVM: what it can run, set once by {@code l2o worker}. */
final class Worker {

    /** Test hook: a worker halts (as if killed) when its task number N+1 starts. */
    static final String HALT_AFTER = "l2o.worker.haltAfter";

    private static final long HALT_AT = Long.getLong(HALT_AFTER, Long.MAX_VALUE);
    private static volatile RemoteTasks tasks;
    private static final AtomicLong STARTED = new AtomicLong();

    private Worker() {
    }

    static void serve(RemoteTasks remoteTasks) {
        tasks = remoteTasks;
    }

    static byte[] run(String kind, byte[] description) {
        RemoteTasks t = tasks;
        if (t == null) {
            throw new PluginException("this cluster member is not an l2o worker (start one with 'l2o worker')");
        }
        if (STARTED.incrementAndGet() > HALT_AT) {
            Runtime.getRuntime().halt(3);
        }
        return t.run(kind, description);
    }
}
