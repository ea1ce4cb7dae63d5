/**
 * A scale-free coordinatewise learned optimizer in the form the field converged on after 2017
 * (Metz et al.'s per-parameter MLP optimizers, VeLO, STAR): the {@code lopt} feature map and the
 * {@code mlp-lopt} policy class. Exports nothing: the runtime finds the providers through
 * ServiceLoader. Declared here for the module path and in META-INF/services for the class path.
 */
module org.l2o.lopt {
    requires org.l2o.api;
    requires org.l2o.kernels;
    // optional: the network's vectorised forward pass, used when the launcher adds it
    requires static jdk.incubator.vector;

    provides org.l2o.api.update.FeatureMapProvider with org.l2o.lopt.LoptFeaturesProvider;
    provides org.l2o.api.update.PolicyClassProvider with org.l2o.lopt.MlpLoptProvider;
}
