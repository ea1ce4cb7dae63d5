/** Compute backends (CPU by default, ND4J CUDA in l2o-gpu). */
package org.l2o.api.backend;
