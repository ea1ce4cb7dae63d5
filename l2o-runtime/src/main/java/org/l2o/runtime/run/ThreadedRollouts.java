package org.l2o.runtime.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.l2o.api.ConfigurationException;
import org.l2o.api.update.RolloutExecutor;

/**
 * Rollouts on the cores of this machine: a fixed pool of daemon threads, one rollout per thread
 * at a time (ND4J and BLAS stay single-threaded inside each, as the launcher sets
 * {@code OMP_NUM_THREADS=1}). Results come back in task order, so outputs are the same for any
 * number of threads. Thread-safe; close it to stop the threads.
 */
public final class ThreadedRollouts implements OpenRollouts {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final ExecutorService pool;

    /** A pool of {@code threads} threads; 1 runs every task on the caller's thread. */
    public ThreadedRollouts(int threads) {
        if (threads < 1) {
            throw new ConfigurationException("--threads must be a positive integer, got " + threads);
        }
        this.threads = threads;
        int id = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "l2o-rollout-" + id + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** As many threads as the JVM has processors. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public int parallelism() {
        return threads;
    }

    @Override
    public <T> List<T> invokeAll(List<? extends Callable<T>> tasks, Consumer<T> inOrder) {
        if (pool == null) {
            return RolloutExecutor.sequential().invokeAll(tasks, inOrder);
        }
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> RolloutExecutor.call(task)));
        }
        List<T> out = new ArrayList<>(tasks.size());
        RuntimeException failure = collect(futures, out, inOrder, () -> futures.forEach(f -> f.cancel(false)));
        if (failure != null) {
            // let tasks already running finish before the caller reacts (and maybe closes outputs)
            for (Future<T> f : futures) {
                try {
                    if (!f.isCancelled()) {
                        f.get();
                    }
                } catch (Exception ignored) {
                    // the first failure in task order is the one reported
                }
            }
            throw failure;
        }
        return out;
    }

    /**
     * Waits for {@code futures} in order, adding each result to {@code out} and handing it to
     * {@code inOrder}. At the first failure in task order it runs {@code onFailure} (which stops the
     * tasks not started) and returns the failure, unchecked; errors are rethrown. Null when all
     * succeeded.
     */
    public static <T> RuntimeException collect(List<? extends Future<T>> futures, List<T> out, Consumer<T> inOrder,
                                               Runnable onFailure) {
        for (Future<T> f : futures) {
            RuntimeException failure;
            try {
                T result = f.get();
                out.add(result);
                inOrder.accept(result);
                continue;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                failure = cause instanceof RuntimeException r ? r
                        : cause instanceof Error err ? rethrow(err)
                        : new IllegalStateException("a rollout failed: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while waiting for rollouts", e);
            }
            onFailure.run();
            return failure;
        }
        return null;
    }

    private static RuntimeException rethrow(Error e) {
        throw e;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
