/**
 * Small objectives computed in plain Java on {@code double[]}: at 4 to 12 parameters and 100
 * data points, per-operation overhead of an array library would dominate the arithmetic.
 */
package org.l2o.objectives.synthetic;
