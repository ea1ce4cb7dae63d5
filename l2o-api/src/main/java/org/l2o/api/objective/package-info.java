/**
 * Objectives (the functions an optimizer minimises), their parameter layouts in coordinate
 * groups, families that sample them, and the provider SPI for objective plugins.
 */
package org.l2o.api.objective;
