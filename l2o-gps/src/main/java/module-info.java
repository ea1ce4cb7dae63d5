/**
 * Guided policy search meta-trainer (Li and Malik 2016/2017; spec section 3). Exports nothing:
 * the runtime finds the provider through ServiceLoader. Declared here for the module path and in
 * META-INF/services for the class path.
 */
module org.l2o.gps {
    requires org.l2o.api;
    requires org.l2o.kernels;

    provides org.l2o.api.meta.MetaTrainerProvider with org.l2o.gps.GpsProvider,
            org.l2o.gps.CoordinateGroupGpsProvider;
}
