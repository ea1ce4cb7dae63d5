/**
 * Update-rule plugins: the classic optimizers now, learned policy classes and feature maps as the
 * meta-training issues add them. The module exports nothing; providers are found through
 * {@link java.util.ServiceLoader}.
 */
package org.l2o.policies;
