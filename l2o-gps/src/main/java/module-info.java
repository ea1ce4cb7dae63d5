/** Guided policy search meta-trainer (Li and Malik 2016/2017; spec section 3). Filled by the GPS issue. */
module org.l2o.gps {
    requires org.l2o.api;
}
