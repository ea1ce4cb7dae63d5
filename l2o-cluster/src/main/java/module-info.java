/**
 * Rollouts on a cluster: {@code l2o worker} starts a Hazelcast member that runs rollouts, and
 * {@code --cluster} on the commands joins those workers through
 * {@link org.l2o.cluster.HazelcastCluster}. Hazelcast (an automatic module) and ND4J stay on the
 * class path, so this module reads the unnamed module.
 */
module org.l2o.cluster {
    requires org.l2o.api;
    requires org.l2o.runtime;
    requires java.logging;

    // picocli and Guice reflect on the worker command
    opens org.l2o.cluster;

    provides org.l2o.runtime.remote.ClusterProvider with org.l2o.cluster.HazelcastCluster;
    provides org.l2o.runtime.CommandPlugin with org.l2o.cluster.WorkerCommandPlugin;
}
