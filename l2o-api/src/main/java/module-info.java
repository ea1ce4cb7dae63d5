/**
 * The contracts of l2o. Implementation modules depend on this module only and reach each other
 * through its service interfaces. ND4J is read from the class path (see the build notes).
 */
module org.l2o.api {
    exports org.l2o.api;
    exports org.l2o.api.objective;
    exports org.l2o.api.update;
    exports org.l2o.api.meta;
    exports org.l2o.api.trajectory;
    exports org.l2o.api.backend;

    uses org.l2o.api.objective.ObjectiveProvider;
    uses org.l2o.api.update.UpdateRuleProvider;
    uses org.l2o.api.update.FeatureMapProvider;
    uses org.l2o.api.update.PolicyClassProvider;
    uses org.l2o.api.meta.MetaTrainerProvider;
    uses org.l2o.api.backend.BackendProvider;
}
