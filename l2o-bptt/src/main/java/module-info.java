/**
 * Supervised BPTT meta-trainer (Andrychowicz et al. 2016). Exports nothing: the
 * runtime finds the provider through ServiceLoader. Declared here for the module path and in
 * META-INF/services for the class path.
 */
module org.l2o.bptt {
    requires org.l2o.api;
    requires org.l2o.kernels;

    provides org.l2o.api.meta.MetaTrainerProvider with org.l2o.bptt.BpttProvider;
}
