package org.l2o.api;

/**
 * The value types a plugin parameter can declare.
 *
 * <p>Immutable.
 */
public enum ParameterType {
    /** A 64-bit signed integer, written in decimal. */
    INT,
    /** A finite double. */
    DOUBLE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Free text (names, paths). */
    STRING,
    /** One of a declared set of words. */
    CHOICE,
    /** Comma-separated non-negative integers, e.g. layer sizes {@code 100,200}. */
    INT_LIST
}
