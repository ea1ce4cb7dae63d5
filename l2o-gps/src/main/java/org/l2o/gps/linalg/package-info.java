/**
 * Dense linear algebra on {@code double[][]} for the small matrices of guided policy search
 * (state and action dimensions in the tens to low hundreds): products, Cholesky factorisation,
 * solves and log-determinants.
 */
package org.l2o.gps.linalg;
