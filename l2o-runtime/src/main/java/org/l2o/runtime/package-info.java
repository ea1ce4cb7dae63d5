/**
 * Entry points of the runtime: {@link org.l2o.runtime.Main} for the CLI and
 * {@link org.l2o.runtime.PluginRegistry} for applications that embed l2o.
 */
package org.l2o.runtime;
