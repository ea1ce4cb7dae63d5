package org.l2o.runtime.remote;

import org.l2o.runtime.PluginRegistry;

/**
 * Runs rollouts on other machines as well as this one: a module that joins a distributed engine
 * provides it ({@code provides org.l2o.runtime.remote.ClusterProvider}); commands with
 * {@code --cluster} ask the {@link PluginRegistry} for it.
 */
public interface ClusterProvider {

    /**
     * Joins the cluster as a driver that submits rollouts: the returned executor runs
     * {@link org.l2o.api.update.RemoteTask}s on the workers found there and on {@code threads} local threads, every
     * other task locally; results never depend on where a task ran.
     *
     * @param members  {@code HOST:PORT} of the workers to join (at least one)
     * @param name     the cluster name; members with another name are not joined
     * @param bind     the address this driver listens on (the workers connect back to it)
     * @param threads  local rollout threads (at least 1)
     * @param registry this JVM's plugins (for the local runs)
     */
    ClusterRollouts connect(java.util.List<String> members, String name, String bind, int threads,
                            PluginRegistry registry);
}
