/**
 * Shared numerical building blocks (see the module description). Everything here is immutable or
 * confined to the calling thread, and deterministic.
 */
package org.l2o.kernels;
