/**
 * Guided policy search: linear-Gaussian local controllers per training objective, structured or
 * GMM/normal-inverse-Wishart-prior dynamics fits, KL-constrained LQR, and mirror-descent updates
 * of the global policy (spec section 3). The BADMM variant is not implemented yet.
 */
package org.l2o.gps;
