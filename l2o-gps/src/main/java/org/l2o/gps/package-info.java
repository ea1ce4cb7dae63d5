/**
 * Guided policy search: linear-Gaussian local controllers per training objective, structured or
 * GMM/normal-inverse-Wishart-prior dynamics fits, KL-constrained LQR, and mirror-descent or BADMM
 * updates of the global policy (Levine & Abbeel 2014; Montgomery & Levine 2016).
 */
package org.l2o.gps;
