/** JMH benchmarks and peer comparisons; not published. Filled by the performance issue. */
module org.l2o.bench {
    requires org.l2o.api;
}
