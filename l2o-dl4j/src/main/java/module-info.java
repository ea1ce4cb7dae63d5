/**
 * Deeplearning4j integration: {@link org.l2o.dl4j.L2oUpdater} makes any l2o optimizer, classic or
 * learned, a DL4J updater, and the {@code dl4j-network} objective makes any DL4J network an
 * objective to meta-train and evaluate on; {@code l2o fit} trains a DL4J network with any optimizer. Deeplearning4j and ND4J stay on the class path (their jars carry no
 * usable module descriptors), so this module reads the unnamed module.
 */
module org.l2o.dl4j {
    requires org.l2o.api;
    requires org.l2o.kernels;
    requires org.l2o.runtime;
    requires org.slf4j;

    exports org.l2o.dl4j;
    // DL4J serialises updater configurations by class name through its shaded Jackson, which
    // reads and writes the configuration's fields reflectively.
    opens org.l2o.dl4j;

    provides org.l2o.api.objective.ObjectiveProvider with org.l2o.dl4j.Dl4jNetworkProvider;
    provides org.l2o.runtime.CommandPlugin with org.l2o.dl4j.FitCommandPlugin;
}
