package org.l2o.runtime.run;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import org.l2o.api.update.RemoteRecords;
import org.l2o.api.update.RemoteTask;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.runtime.PluginRegistry;

/**
 * A meta-trainer's {@link RemoteTask} (a PES unroll, say) together with the job it belongs to. A
 * trainer never names its plugins or data, so it cannot say how to rebuild itself; the
 * {@link MetaTrainingJob} can: it hands the trainer rollouts that wrap each remote task with the
 * job's {@link MetaTrainingJob#origin origin}. A worker rebuilds the job from it (once per job, then
 * cached), asks the trainer for its {@link org.l2o.api.meta.MetaTrainer#remote handler}, and runs
 * the inner task's description with it.
 */
public final class MetaTrainingTask {

    /** The task kind, with the version of its record. */
    public static final String KIND = "meta-training/1";

    private MetaTrainingTask() {
    }

    /** {@code task} with the job's {@code origin} in front of its description. */
    static <T> RemoteTask<T> wrap(byte[] origin, RemoteTask<T> task) {
        return RemoteTask.of(KIND, task, () -> RemoteRecords.write(out -> {
            out.bytes(origin);
            out.writeUTF(task.kind());
            out.bytes(task.description());
        }), task::result);
    }

    /** {@code base} with each remote task wrapped with {@code origin}; other tasks pass as they are. */
    static RolloutExecutor carrying(byte[] origin, RolloutExecutor base) {
        return new RolloutExecutor() {
            @Override
            public int parallelism() {
                return base.parallelism();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> List<T> invokeAll(List<? extends Callable<T>> tasks, Consumer<T> inOrder) {
                List<Callable<T>> wrapped = tasks.stream().<Callable<T>>map(t -> t instanceof RemoteTask<?> r
                        ? wrap(origin, (RemoteTask<T>) r) : t).toList();
                return base.invokeAll(wrapped, inOrder);
            }
        };
    }

    /** A worker's side: rebuilds the job a description names (the last two are kept) and runs the inner task. */
    public static Function<byte[], byte[]> handler(PluginRegistry registry) {
        Map<String, RemoteTask.Handler> jobs = EvaluationRun.recent(2);
        return description -> {
            record Envelope(byte[] origin, String kind, byte[] inner) {
            }
            Envelope e = RemoteRecords.read(description, in -> new Envelope(in.bytes(), in.readUTF(), in.bytes()));
            RemoteTask.Handler job = jobs.computeIfAbsent(EvaluationRun.digest(e.origin()),
                    k -> MetaTrainingJob.fromOrigin(registry, e.origin()).remoteHandler(registry));
            return job.run(e.kind(), e.inner());
        };
    }
}
