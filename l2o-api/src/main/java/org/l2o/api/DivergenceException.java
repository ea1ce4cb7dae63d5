package org.l2o.api;

/**
 * A numerical procedure produced non-finite values where it must not (e.g. a meta-training step).
 *
 * <p>Immutable once thrown.
 */
public class DivergenceException extends L2oException {
    public DivergenceException(String message) {
        super(message);
    }
}
