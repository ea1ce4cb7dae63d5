/**
 * Hand-designed optimizers. The first-order rules follow the algorithms documented for PyTorch's
 * {@code torch.optim} (same update equations and default hyperparameters) so results compare with
 * the most used implementation; CG and L-BFGS use a strong-Wolfe line search and report every
 * objective evaluation it makes.
 */
package org.l2o.policies.classic;
