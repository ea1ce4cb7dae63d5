/** Supervised BPTT meta-trainer (Andrychowicz et al. 2016; spec section 4). Filled by the BPTT issue. */
module org.l2o.bptt {
    requires org.l2o.api;
}
