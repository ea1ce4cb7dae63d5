/**
 * Numerical building blocks shared by l2o's plugins that are not contracts: the OpenBLAS binding,
 * vectorisable activations, the Adam that meta-trainers use on network weights, the feature
 * history of Li and Malik 2017, the update rules that run learned policies, and the readers of the
 * image datasets (IDX, CIFAR) with their embedded subsets. Plugins depend on
 * this module and on {@code org.l2o.api}; the API depends on neither ND4J's backend nor OpenBLAS.
 * ND4J and OpenBLAS are read from the class path (see the build notes).
 */
module org.l2o.kernels {
    requires transitive org.l2o.api;

    exports org.l2o.kernels;
    exports org.l2o.kernels.data;
}
