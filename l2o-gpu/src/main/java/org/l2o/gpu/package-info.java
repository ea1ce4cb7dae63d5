/** The ND4J CUDA backend provider and GPU-only tests. Not implemented yet. */
package org.l2o.gpu;
