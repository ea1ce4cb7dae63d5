package org.l2o.api;

/**
 * A plugin id is unknown or duplicated, or a plugin failed to load.
 *
 * <p>Immutable once thrown.
 */
public class PluginException extends L2oException {
    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
