package org.l2o.api.update;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.l2o.api.NativeMemory;

/**
 * Runs independent rollouts: evaluation runs per optimizer and seed, tuning grid points, sample
 * trajectories. A task depends only on its inputs and seeds, so results never depend on where or
 * how many workers ran them: {@link #invokeAll} returns them in task order, and hands them to
 * {@code inOrder} in that order too, whatever order they finished in.
 *
 * <p>Implementations are thread-safe; tasks must be too (rules and objectives are, by their
 * contracts). {@link #sequential()} runs tasks one after the other on the caller's thread; the
 * runtime's default uses every core.
 */
public interface RolloutExecutor {

    /** How many tasks may run at once. */
    int parallelism();

    /**
     * Runs every task and returns the results in task order, passing each result to {@code inOrder}
     * (on the caller's thread, in task order) as soon as it and all tasks before it are done. The
     * first task to fail, in task order, has its exception rethrown once no task is running any more.
     */
    <T> List<T> invokeAll(List<? extends Callable<T>> tasks, Consumer<T> inOrder);

    /** The executor that runs tasks one after the other on the caller's thread. */
    static RolloutExecutor sequential() {
        return new RolloutExecutor() {
            @Override
            public int parallelism() {
                return 1;
            }

            @Override
            public <T> List<T> invokeAll(List<? extends Callable<T>> tasks, Consumer<T> inOrder) {
                List<T> out = new ArrayList<>(tasks.size());
                for (Callable<T> task : tasks) {
                    T result = call(task);
                    out.add(result);
                    inOrder.accept(result);
                }
                return out;
            }
        };
    }

    /**
     * Calls {@code task} inside a {@linkplain NativeMemory#enter native-memory section}, passing
     * unchecked exceptions through and wrapping checked ones.
     */
    static <T> T call(Callable<T> task) {
        try (NativeMemory.Section section = NativeMemory.enter()) {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("a rollout failed: " + e, e);
        }
    }
}
