package org.l2o.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.l2o.api.PluginException;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.runtime.remote.ClusterRollouts;
import org.l2o.api.update.RemoteTask;
import org.l2o.runtime.run.ThreadedRollouts;

/**
 * The driver's executor: one queue of tasks, drained by this JVM's threads and by one slot per
 * rollout each worker runs at once (a slot sends a task to its worker and waits for the answer).
 * A task whose worker leaves mid-run goes back to the head of the queue and runs elsewhere; since a
 * run depends only on its description, the results are the same as with no failure. Results reach
 * the caller in task order, as from {@link ThreadedRollouts}.
 */
final class HazelcastRollouts implements ClusterRollouts {

    private final HazelcastInstance hz;
    private final String name;
    private final int threads;
    private final AtomicLong remote = new AtomicLong();
    private final String numerics = HazelcastCluster.numerics();

    /** Runs what cannot travel (tasks that are not {@link RemoteTask}s) and everything when no worker is there. */
    private final ThreadedRollouts local;

    HazelcastRollouts(HazelcastInstance hz, String name, int threads) {
        this.hz = hz;
        this.name = name;
        this.threads = threads;
        this.local = new ThreadedRollouts(threads);
    }

    /** The workers in the cluster now whose numerics agree with this JVM's (see {@link HazelcastCluster#numerics}). */
    private List<Member> workers() {
        List<Member> out = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            if (HazelcastCluster.WORKER.equals(m.getAttribute(HazelcastCluster.ROLE))
                    && numerics.equals(m.getAttribute(HazelcastCluster.NUMERICS))) {
                out.add(m);
            }
        }
        return out;
    }

    /** Workers left out because their numerics differ, each with what it reported. */
    private List<String> disagreeing() {
        List<String> out = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            if (HazelcastCluster.WORKER.equals(m.getAttribute(HazelcastCluster.ROLE))
                    && !numerics.equals(m.getAttribute(HazelcastCluster.NUMERICS))) {
                out.add(m.getAddress().getHost() + ":" + m.getAddress().getPort() + " ("
                        + m.getAttribute(HazelcastCluster.NUMERICS) + ")");
            }
        }
        return out;
    }

    private static int slots(Member m) {
        String s = m.getAttribute(HazelcastCluster.SLOTS);
        return s == null ? 1 : Math.max(1, Integer.parseInt(s));
    }

    @Override
    public int parallelism() {
        return threads + workers().stream().mapToInt(HazelcastRollouts::slots).sum();
    }

    @Override
    public String describe() {
        List<Member> w = workers();
        StringBuilder s = new StringBuilder("cluster '" + name + "': " + w.size() + " worker(s)");
        for (Member m : w) {
            s.append(' ').append(m.getAddress().getHost()).append(':').append(m.getAddress().getPort())
                    .append(" (").append(slots(m)).append(" slots)");
        }
        s.append(", and ").append(threads).append(" local thread(s)");
        List<String> left = disagreeing();
        if (!left.isEmpty()) {
            s.append("; not used, since their results would differ in the last bits from this JVM's (")
                    .append(numerics).append("): ").append(String.join(", ", left));
        }
        return s.toString();
    }

    @Override
    public long remoteRuns() {
        return remote.get();
    }

    @Override
    public <T> List<T> invokeAll(List<? extends Callable<T>> tasks, Consumer<T> inOrder) {
        List<Member> members = workers();
        boolean portable = tasks.stream().allMatch(t -> t instanceof RemoteTask);
        if (members.isEmpty() || !portable || tasks.size() <= 1) {
            return local.invokeAll(tasks, inOrder);
        }
        int n = tasks.size();
        List<CompletableFuture<T>> done = new ArrayList<>(n);
        LinkedBlockingDeque<Integer> queue = new LinkedBlockingDeque<>();
        for (int i = 0; i < n; i++) {
            done.add(new CompletableFuture<>());
            queue.add(i);
        }
        AtomicInteger finished = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        IExecutorService executor = hz.getExecutorService(HazelcastCluster.EXECUTOR);
        List<Runnable> slots = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            slots.add(() -> drain(queue, finished, n, stop, i -> done.get(i).complete(RolloutExecutor.call(tasks.get(i))),
                    done));
        }
        for (Member m : members) {
            AtomicBoolean gone = new AtomicBoolean();
            for (int s = 0; s < slots(m); s++) {
                slots.add(() -> drain(queue, finished, n, stop, i -> {
                    if (gone.get()) {
                        throw new WorkerGone();
                    }
                    RemoteTask<T> task = (RemoteTask<T>) tasks.get(i);
                    try {
                        byte[] answer = executor.submitToMember(new RemoteRollout(task.kind(), task.description()), m)
                                .get();
                        remote.incrementAndGet();
                        done.get(i).complete(task.result(answer));
                    } catch (ExecutionException e) {
                        if (left(e)) {
                            gone.set(true);
                            throw new WorkerGone();
                        }
                        if (e.getCause() instanceof PluginException p) {
                            // the worker's distribution lacks what the run names
                            throw new PluginException("worker " + m.getAddress() + ": " + p.getMessage(), p);
                        }
                        throw e.getCause() instanceof RuntimeException r ? r
                                : new IllegalStateException("a rollout failed on " + m.getAddress() + ": " + e, e);
                    } catch (RuntimeException e) {
                        if (left(e)) {
                            gone.set(true);
                            throw new WorkerGone();
                        }
                        throw e;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for a worker", e);
                    }
                }, done));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(slots.size(), r -> {
            Thread th = new Thread(r, "l2o-cluster-slot");
            th.setDaemon(true);
            return th;
        });
        slots.forEach(pool::submit);
        List<T> out = new ArrayList<>(n);
        RuntimeException failure;
        try {
            failure = ThreadedRollouts.collect(done, out, inOrder, () -> stop.set(true));
        } finally {
            stop.set(true);
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.DAYS); // running tasks end before the failure is reported
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    /** A slot's loop: take the next task, run it, until the queue is drained or the run is stopped. */
    private static <T> void drain(LinkedBlockingDeque<Integer> queue, AtomicInteger finished, int n, AtomicBoolean stop,
                                  Slot slot, List<CompletableFuture<T>> done) {
        while (!stop.get() && finished.get() < n) {
            Integer i;
            try {
                i = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (i == null) {
                continue;
            }
            try {
                slot.run(i);
                finished.incrementAndGet();
            } catch (WorkerGone g) {
                queue.addFirst(i); // another slot runs it; this worker's slots end
                return;
            } catch (Throwable e) {
                done.get(i).completeExceptionally(e);
                finished.incrementAndGet();
            }
        }
    }

    private static boolean left(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MemberLeftException || c instanceof TargetNotMemberException
                    || c instanceof HazelcastInstanceNotActiveException) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface Slot {
        void run(int task) throws Exception;
    }

    /** A slot's worker left the cluster. */
    private static final class WorkerGone extends RuntimeException {
        WorkerGone() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        local.close();
        hz.shutdown();
    }
}
