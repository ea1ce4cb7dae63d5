/**
 * The l2o runtime: plugin discovery, composition, the CLI, trajectory storage, reports.
 *
 * <p>Only this module calls {@link java.util.ServiceLoader}. ND4J, Arrow, Guice, picocli, XChart
 * and the progress bar are read from the class path (ND4J's jars carry invalid module
 * descriptors, and the launcher keeps their dependencies together with it), so this module reads
 * the unnamed module at compile and run time.
 */
module org.l2o.runtime {
    requires org.l2o.api;
    requires java.desktop;
    requires org.slf4j;
    // ND4J (in the unnamed module) uses sun.misc.Unsafe; a named main module must resolve it.
    requires jdk.unsupported;

    exports org.l2o.runtime;
    // rollouts in other JVMs: the task contract and the service a distributed engine provides
    exports org.l2o.runtime.remote;
    // what a contributed command (CommandPlugin) shares with the built-in ones: console, progress,
    // atomic outputs, CSV, plots and HTML reports
    exports org.l2o.runtime.cli to org.l2o.dl4j, org.l2o.cluster;
    exports org.l2o.runtime.io to org.l2o.dl4j, org.l2o.cluster;
    exports org.l2o.runtime.report to org.l2o.dl4j;
    // the cluster's executor falls back on (and runs beside) this JVM's rollout threads
    exports org.l2o.runtime.run to org.l2o.cluster;
    // picocli and Guice live in the unnamed module and reflect on the commands.
    opens org.l2o.runtime.cli;

    uses org.l2o.api.objective.ObjectiveProvider;
    uses org.l2o.api.update.UpdateRuleProvider;
    uses org.l2o.api.update.FeatureMapProvider;
    uses org.l2o.api.update.PolicyClassProvider;
    uses org.l2o.api.meta.MetaTrainerProvider;
    uses org.l2o.api.backend.BackendProvider;
    uses org.l2o.runtime.CommandPlugin;
    uses org.l2o.runtime.remote.ClusterProvider;
}
