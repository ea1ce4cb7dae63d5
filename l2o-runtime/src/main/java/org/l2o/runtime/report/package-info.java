/** Plots (PNG and SVG through XChart) and HTML reports of optimizer runs. */
package org.l2o.runtime.report;
