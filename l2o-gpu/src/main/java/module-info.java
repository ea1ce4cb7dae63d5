/** GPU compute backend (ND4J CUDA). Filled by a later issue. */
module org.l2o.gpu {
    requires org.l2o.api;
}
