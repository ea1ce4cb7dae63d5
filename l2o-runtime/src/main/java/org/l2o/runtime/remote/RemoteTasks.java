package org.l2o.runtime.remote;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.l2o.api.NativeMemory;
import org.l2o.api.PluginException;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.run.EvaluationRun;
import org.l2o.runtime.run.MetaTrainingTask;

/**
 * What a worker can run: one handler per {@link org.l2o.api.update.RemoteTask#kind}, each turning a description into
 * an encoded result with this JVM's plugins. A description that names a plugin this worker lacks
 * fails with a message naming it, which the driver reports as the run's failure.
 */
public final class RemoteTasks {

    private final Map<String, Function<byte[], byte[]>> handlers = new TreeMap<>();

    private RemoteTasks() {
    }

    /** The handlers of the runtime's own tasks, resolving plugins through {@code registry}. */
    public static RemoteTasks of(PluginRegistry registry) {
        RemoteTasks t = new RemoteTasks();
        t.handlers.put(EvaluationRun.KIND, EvaluationRun.handler(registry));
        t.handlers.put(MetaTrainingTask.KIND, MetaTrainingTask.handler(registry));
        return t;
    }

    /** Runs one description (inside a {@link NativeMemory} section) and returns its encoded result. */
    public byte[] run(String kind, byte[] description) {
        Function<byte[], byte[]> handler = handlers.get(kind);
        if (handler == null) {
            throw new PluginException("this worker cannot run '" + kind + "' rollouts (it runs " + handlers.keySet()
                    + "): its l2o differs from the driver's");
        }
        try (NativeMemory.Section section = NativeMemory.enter()) {
            return handler.apply(description);
        }
    }
}
