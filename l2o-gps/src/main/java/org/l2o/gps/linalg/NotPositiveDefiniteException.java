package org.l2o.gps.linalg;

/** A Cholesky factorisation met a non-positive pivot. */
public final class NotPositiveDefiniteException extends RuntimeException {
    public NotPositiveDefiniteException(String message) {
        super(message);
    }
}
