/** Running optimizers on objectives: specifications, seeds, the evaluation and tuning engines. */
package org.l2o.runtime.run;
