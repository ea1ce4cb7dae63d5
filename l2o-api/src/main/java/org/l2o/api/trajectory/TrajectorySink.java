package org.l2o.api.trajectory;

/**
 * Receives trajectory records. Implementations need not be thread-safe; records of one run arrive
 * in step order. Closing flushes; records accepted after close are an error.
 */
public interface TrajectorySink extends AutoCloseable {

    void accept(TrajectoryRecord record);

    @Override
    void close();
}
