/** Per-step records of optimizer runs and the sink that stores them. */
package org.l2o.api.trajectory;
