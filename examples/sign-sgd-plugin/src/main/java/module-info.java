/** An example optimizer plugin for l2o: sign-gradient descent. Exports nothing; provides its rule. */
module org.example.signsgd {
    requires org.l2o.api;

    provides org.l2o.api.update.UpdateRuleProvider with org.example.signsgd.SignSgdProvider;
}
