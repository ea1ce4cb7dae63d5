/**
 * Multilayer perceptron classifiers on real datasets, computed with ND4J: minibatch estimates
 * for the optimizer, the full training loss (or a fixed subset) as the true objective.
 */
package org.l2o.objectives.mlp;
