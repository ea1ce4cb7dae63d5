/**
 * JMH benchmarks of l2o's hot paths (one training step of an MLP classifier, one step of each
 * classic and learned update rule) and {@code l2o bench}, which runs them beside a PyTorch peer.
 * Runs on the class path (JMH forks benchmark JVMs with the launching JVM's class path); the
 * descriptor documents what it uses. Not published.
 */
module org.l2o.bench {
    requires org.l2o.api;
    requires org.l2o.kernels;
    requires jmh.core;

    uses org.l2o.api.objective.ObjectiveProvider;
    uses org.l2o.api.update.UpdateRuleProvider;
    uses org.l2o.api.update.PolicyClassProvider;
    uses org.l2o.api.update.FeatureMapProvider;
    uses org.l2o.api.meta.MetaTrainerProvider;
}
