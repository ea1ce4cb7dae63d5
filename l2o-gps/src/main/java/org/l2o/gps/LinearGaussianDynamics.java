package org.l2o.gps;

/**
 * Fitted time-varying linear-Gaussian dynamics {@code x_{t+1} ~ N(F_t [x_t; u_t] + f_t, W_t)} and the
 * initial-state distribution {@code x_0 ~ N(mu0, Sigma0)} (Levine & Abbeel 2014, dynamics with a GMM prior). {@code F} has T-1 (or
 * T) entries; only steps 0..T-2 are used to propagate.
 */
public record LinearGaussianDynamics(double[][][] f, double[][] offset, double[][][] noise, double[] initialMean,
                                     double[][] initialCovariance) {

    public int stateDimension() {
        return initialMean.length;
    }
}
