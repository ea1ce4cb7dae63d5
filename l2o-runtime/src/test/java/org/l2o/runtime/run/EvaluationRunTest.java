package org.l2o.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginException;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.api.trajectory.TrajectorySink;
import org.l2o.api.testkit.RemoteLoopback;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.api.update.UpdateRule;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.remote.RemoteTasks;

/** Every evaluation run survives the trip through bytes: a worker's result equals the local one bit for bit. */
class EvaluationRunTest {

    private static final PluginRegistry PLUGINS = PluginRegistry.discover();

    private static List<RunResult> evaluate(RolloutExecutor executor, List<TrajectoryRecord> records) {
        Map<String, String> params = Map.of("project", "12", "hidden", "10", "eval-samples", "200");
        ObjectiveProvider p = PLUGINS.objective("mlp-classifier");
        CreationContext context = new CreationContext(Optional.empty(), 7, RolloutExecutor.sequential());
        ObjectiveFamily family = p.create(p.configure(params), context);
        List<String> names = List.of("adam:lr=0.01", "learned:mnist-v1");
        List<UpdateRule> rules = names.stream().map(n -> OptimizerSpec.parse(n).create(PLUGINS, context)).toList();
        var source = new EvaluationRun.Source("mlp-classifier", params, Optional.empty(), names);
        TrajectorySink sink = new TrajectorySink() {
            @Override
            public void accept(TrajectoryRecord record) {
                records.add(record);
            }

            @Override
            public void close() {
            }
        };
        return Runs.run(family, Optional.of(source), Runs.Split.TEST, 7, names, rules, 2, 15, Optional.empty(), sink,
                (r, d, t) -> { }, executor);
    }

    @Test
    void aRunRebuiltFromItsDescriptionEqualsTheLocalRun() {
        List<TrajectoryRecord> here = new ArrayList<>();
        List<TrajectoryRecord> there = new ArrayList<>();
        List<RunResult> local = evaluate(RolloutExecutor.sequential(), here);
        RemoteLoopback loopback = new RemoteLoopback(RemoteTasks.of(PLUGINS)::run);
        List<RunResult> remote = evaluate(loopback, there);
        assertEquals(4, loopback.sent().size());
        assertEquals(local.size(), remote.size());
        for (int i = 0; i < local.size(); i++) {
            RunResult a = local.get(i);
            RunResult b = remote.get(i);
            assertEquals(a.runId(), b.runId());
            assertEquals(a.objective(), b.objective());
            assertArrayEquals(a.values(), b.values(), 0.0, a.runId());
            assertEquals(a.evaluations(), b.evaluations());
        }
        assertEquals(here.size(), there.size());
        for (int i = 0; i < here.size(); i++) {
            TrajectoryRecord a = here.get(i);
            TrajectoryRecord b = there.get(i);
            assertEquals(List.of(a.runId(), a.step(), a.value(), a.observedValue(), a.gradNorm(), a.stepNorm(),
                    a.evaluations()), List.of(b.runId(), b.step(), b.value(), b.observedValue(), b.gradNorm(),
                    b.stepNorm(), b.evaluations()));
        }
    }

    @Test
    void aWorkerWithoutThePluginNamesIt() {
        List<EvaluationRun> tasks = new ArrayList<>();
        RolloutExecutor capture = new RolloutExecutor() {
            @Override
            public int parallelism() {
                return 1;
            }

            @Override
            public <T> List<T> invokeAll(List<? extends Callable<T>> all, Consumer<T> inOrder) {
                all.forEach(t -> tasks.add((EvaluationRun) t));
                return List.of();
            }
        };
        evaluate(capture, new ArrayList<>());
        // a worker whose distribution lacks the objective plugin
        List<org.l2o.api.PluginProvider> without = new ArrayList<>(PLUGINS.all());
        without.removeIf(p -> p.id().equals("mlp-classifier"));
        RemoteTasks worker = RemoteTasks.of(PluginRegistry.of(without));
        EvaluationRun first = tasks.get(0);
        PluginException e = assertThrows(PluginException.class, () -> worker.run(first.kind(), first.description()));
        assertTrue(e.getMessage().contains("mlp-classifier"), e.getMessage());
    }

    @Test
    void aWorkerWithoutTheTaskKindSaysSo() {
        PluginException e = assertThrows(PluginException.class,
                () -> RemoteTasks.of(PLUGINS).run("train-particle/9", new byte[0]));
        assertTrue(e.getMessage().contains("train-particle/9"), e.getMessage());
        assertTrue(e.getMessage().contains(EvaluationRun.KIND), e.getMessage());
    }
}
