/** The papers' experiments, run end to end: tuning, meta-training, evaluation, plots and reports. */
package org.l2o.runtime.experiment;
