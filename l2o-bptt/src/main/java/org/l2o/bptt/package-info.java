/**
 * Supervised meta-training by truncated backpropagation through time of a coordinatewise
 * recurrent optimizer (spec section 4).
 */
package org.l2o.bptt;
