package org.l2o.api.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.l2o.api.update.RemoteTask;
import org.l2o.api.update.RolloutExecutor;

/**
 * Rollouts as a cluster runs them, in one thread: a remote task goes to a worker's handler as its
 * description and comes back as its encoded result (nothing shared but the bytes); other tasks run
 * here. Tests compare what it gives with a local run, bit for bit.
 */
public final class RemoteLoopback implements RolloutExecutor {

    private final RemoteTask.Handler worker;
    private final int every;
    private final List<String> sent = new ArrayList<>();
    private int seen;

    /** Sends every remote task to {@code worker}. */
    public RemoteLoopback(RemoteTask.Handler worker) {
        this(worker, 1);
    }

    /** Sends remote tasks 0, every, 2 every, ... to {@code worker} and runs the others here. */
    public RemoteLoopback(RemoteTask.Handler worker, int every) {
        this.worker = worker;
        this.every = every;
    }

    /** The kinds of the tasks sent so far, in order. */
    public List<String> sent() {
        return sent;
    }

    @Override
    public int parallelism() {
        return 1;
    }

    /** Sends the chosen remote tasks through the worker as they run, one after the other on the caller's thread. */
    @Override
    public <T> List<T> invokeAll(List<? extends Callable<T>> tasks, Consumer<T> inOrder) {
        List<Callable<T>> trips = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) {
            if (t instanceof RemoteTask<T> task && seen++ % every == 0) {
                trips.add(() -> {
                    sent.add(task.kind());
                    return task.result(worker.run(task.kind(), task.description()));
                });
            } else {
                trips.add(t);
            }
        }
        return RolloutExecutor.sequential().invokeAll(trips, inOrder);
    }
}
