package org.l2o.api;

/**
 * A parameter, flag or configuration value is unknown, malformed or out of its valid range.
 *
 * <p>Immutable once thrown.
 */
public class ConfigurationException extends L2oException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
