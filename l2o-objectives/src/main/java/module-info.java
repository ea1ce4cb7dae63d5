/**
 * Objective plugins. Exports nothing: the runtime finds the providers through ServiceLoader.
 * Providers are declared here for the module path and in META-INF/services for the class path.
 */
module org.l2o.objectives {
    requires org.l2o.api;
    requires org.l2o.kernels;

    provides org.l2o.api.objective.ObjectiveProvider with
            org.l2o.objectives.synthetic.QuadraticProvider,
            org.l2o.objectives.synthetic.RosenbrockProvider,
            org.l2o.objectives.synthetic.LogisticRegressionProvider,
            org.l2o.objectives.synthetic.RobustRegressionProvider,
            org.l2o.objectives.synthetic.NeuralNetClassifierProvider,
            org.l2o.objectives.mlp.MlpClassifierProvider,
            org.l2o.objectives.mlp.MlpTasksProvider;
}
