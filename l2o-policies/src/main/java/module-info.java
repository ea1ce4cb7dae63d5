/**
 * Update-rule plugins. Exports nothing: the runtime finds the providers through ServiceLoader.
 * Providers are declared here for the module path and in META-INF/services for the class path.
 */
module org.l2o.policies {
    requires org.l2o.api;
    requires org.l2o.kernels;
    // optional: the elementwise rules' vectorised in-place steps, used when the launcher adds it
    requires static jdk.incubator.vector;

    provides org.l2o.api.update.UpdateRuleProvider with
            org.l2o.policies.classic.SgdProvider,
            org.l2o.policies.classic.MomentumProvider,
            org.l2o.policies.classic.NesterovProvider,
            org.l2o.policies.classic.AdagradProvider,
            org.l2o.policies.classic.RmspropProvider,
            org.l2o.policies.classic.AdamProvider,
            org.l2o.policies.classic.ConjugateGradientProvider,
            org.l2o.policies.classic.LbfgsProvider;
    provides org.l2o.api.update.FeatureMapProvider with
            org.l2o.policies.learned.History2016Provider,
            org.l2o.policies.learned.Lm2017Provider,
            org.l2o.policies.learned.Lm2017StateProvider;
    provides org.l2o.api.update.PolicyClassProvider with
            org.l2o.policies.learned.MlpPolicyProvider,
            org.l2o.policies.learned.LstmPolicyProvider;
}
