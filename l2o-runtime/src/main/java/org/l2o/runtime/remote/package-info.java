/**
 * Rollouts that run in other JVMs: {@link org.l2o.api.update.RemoteTask} (a run that describes
 * itself as bytes), {@link org.l2o.runtime.remote.RemoteTasks} (what a worker can run) and the
 * {@link org.l2o.runtime.remote.ClusterProvider} service a distributed engine's module provides.
 */
package org.l2o.runtime.remote;
