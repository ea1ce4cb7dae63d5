/**
 * Evolution-strategies meta-trainers: persistent evolution strategies (Vicol et al. 2021) and plain
 * antithetic ES, on any coordinatewise policy class. Exports nothing: the runtime finds the provider
 * through ServiceLoader. Declared here for the module path and in META-INF/services for the class path.
 */
module org.l2o.es {
    requires org.l2o.api;
    requires org.l2o.kernels;

    provides org.l2o.api.meta.MetaTrainerProvider with org.l2o.es.PesProvider;
}
