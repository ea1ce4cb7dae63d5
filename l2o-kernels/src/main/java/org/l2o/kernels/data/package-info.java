/**
 * Readers for the datasets' own file formats (IDX, raw or gzip; CIFAR-10 and CIFAR-100 binary)
 * and the lookup of a dataset by name in a data directory or the embedded subsets.
 */
package org.l2o.kernels.data;
