package org.l2o.gps;

/**
 * A normal-inverse-Wishart prior over the joint Gaussian of {@code [x_t; u_t; x_{t+1}]}: mean
 * {@code mu0}, scale matrix {@code phi}, and pseudo-counts {@code m} (for the mean) and {@code n0}
 * (for the covariance), as produced by the GMM prior of Levine & Abbeel 2014, dynamics with a GMM prior.
 */
public record NormalInverseWishart(double[] mu0, double[][] phi, double m, double n0) {
}
