/**
 * Guided policy search: linear-Gaussian local controllers per training objective, dynamics fits
 * with a GMM/normal-inverse-Wishart prior, KL-constrained LQR, and BADMM or mirror-descent
 * updates of the global policy (spec section 3).
 */
package org.l2o.gps;
