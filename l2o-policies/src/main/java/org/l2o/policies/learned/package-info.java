/**
 * Learned-optimizer building blocks: feature maps over the observation history and
 * differentiable policy classes that meta-trainers fit.
 */
package org.l2o.policies.learned;
