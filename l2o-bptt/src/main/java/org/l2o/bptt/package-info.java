/**
 * Supervised meta-training by truncated backpropagation through time of the coordinatewise LSTM
 * optimizer (spec section 4). Not implemented yet.
 */
package org.l2o.bptt;
