/**
 * Objective plugins: random quadratics, Rosenbrock, the three problem classes of Li and Malik
 * 2016 (Li & Malik 2016, the problem classes of the experiments) and multilayer perceptron classifiers on real datasets. The module
 * exports nothing; its providers are found through {@link java.util.ServiceLoader}.
 */
package org.l2o.objectives;
