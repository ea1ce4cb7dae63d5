package org.l2o.gps;

/** Gaussian marginals of {@code z_t = [x_t; u_t]} under a controller and dynamics: means and covariances. */
public record StateActionMarginals(double[][] mean, double[][][] covariance) {
}
