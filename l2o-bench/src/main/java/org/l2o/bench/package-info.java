/** Benchmarks of objectives, update rules and meta-training against PyTorch. Not implemented yet. */
package org.l2o.bench;
