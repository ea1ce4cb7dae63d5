/**
 * Supervised meta-training by truncated backpropagation through time of a coordinatewise
 * recurrent optimizer (Andrychowicz et al. 2016).
 */
package org.l2o.bptt;
