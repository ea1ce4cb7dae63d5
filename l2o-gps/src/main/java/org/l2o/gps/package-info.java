/**
 * Guided policy search: linear-Gaussian local controllers per training objective, structured or
 * GMM/normal-inverse-Wishart-prior dynamics fits, KL-constrained LQR, and mirror-descent or BADMM
 * updates of the global policy (spec section 3).
 */
package org.l2o.gps;
