/**
 * Update rules (optimizers, classic and learned), their explicit state, the observation an
 * optimizer sees at each step, feature maps, policy contracts for meta-training, and the
 * provider SPIs of these plugin kinds.
 */
package org.l2o.api.update;
