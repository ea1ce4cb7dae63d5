package org.l2o.api;

/**
 * Root of every exception l2o throws on purpose. Messages name the file, key or value that is
 * wrong and what was expected, so the CLI can print them as they are.
 *
 * <p>Immutable once thrown.
 */
public class L2oException extends RuntimeException {
    public L2oException(String message) {
        super(message);
    }

    public L2oException(String message, Throwable cause) {
        super(message, cause);
    }
}
