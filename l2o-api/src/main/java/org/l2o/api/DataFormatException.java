package org.l2o.api;

/**
 * A data or model file is missing, truncated or not in the format its name promises.
 *
 * <p>Immutable once thrown.
 */
public class DataFormatException extends L2oException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
