/**
 * Meta-training: the trainer SPI (GPS, BPTT, third-party methods), its request and result, and
 * the learned optimizer with its provenance.
 */
package org.l2o.api.meta;
