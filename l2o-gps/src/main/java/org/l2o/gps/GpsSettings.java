package org.l2o.gps;

import java.util.Arrays;
import org.l2o.api.Config;

/**
 * Settings of a GPS run, read from the trainer's configuration (see {@link GpsProvider} for the
 * meaning and defaults of each).
 */
record GpsSettings(String variant, int iterations, int samples, double klStep, double minStepMult,
                   double maxStepMult, double initVariance, String init, double[] initLrGrid,
                   double[] initMomentumGrid, String dynamics, double dynamicsRegularization, int gmmClusters,
                   int gmmPoints, int policyIterationsFirst, int policyIterations, int policyBatch, double policyLr,
                   boolean whiten, int validationObjectives, boolean costHessian, int innerIterations,
                   double initPolicyWeight, double dualRate, double lgStep) {

    static GpsSettings of(Config c) {
        return new GpsSettings(c.getString("variant"), c.getInt("iterations"), c.getInt("samples"),
                c.getDouble("kl-step"), c.getDouble("min-step-mult"), c.getDouble("max-step-mult"),
                c.getDouble("init-var"), c.getString("init"), doubles(c.getString("init-lr-grid")),
                doubles(c.getString("init-momentum-grid")), c.getString("dynamics"),
                c.getDouble("dynamics-regularization"), c.getInt("gmm-clusters"), c.getInt("gmm-points"),
                c.getInt("policy-iterations-first"), c.getInt("policy-iterations"), c.getInt("policy-batch"),
                c.getDouble("policy-lr"), c.getBoolean("whiten"), c.getInt("validation-objectives"),
                c.getString("cost-hessian").equals("fd"), c.getInt("inner-iterations"),
                c.getDouble("init-policy-weight"), c.getDouble("policy-dual-rate"), c.getDouble("lg-step"));
    }

    static double[] doubles(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
    }
}
