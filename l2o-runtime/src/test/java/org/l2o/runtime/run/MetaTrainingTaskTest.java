package org.l2o.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.l2o.api.CreationContext;
import org.l2o.api.PluginException;
import org.l2o.api.PluginProvider;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.update.RolloutExecutor;
import org.l2o.api.testkit.RemoteLoopback;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.remote.RemoteTasks;

/**
 * A trainer's remote rollouts carry their job: a worker that knows nothing but the bytes rebuilds
 * family, policy class, feature map and trainer, and the learned optimizer equals a local run's.
 */
class MetaTrainingTaskTest {

    private static final PluginRegistry PLUGINS = PluginRegistry.discover();
    private static final Map<String, String> OBJECTIVE = Map.of("dimension", "6", "condition", "10");

    private static MetaTrainingResult train(RolloutExecutor rollouts) {
        return train(rollouts, null);
    }

    /** The job, its candidates scored on {@code validation} quadratics where not null. */
    private static MetaTrainingResult train(RolloutExecutor rollouts, Map<String, String> validation) {
        MetaTrainingJob job = MetaTrainingJob.builder(PLUGINS)
                .trainer("pes", Map.of("iterations", "3", "pairs", "3", "truncation", "4", "min-length", "6",
                        "max-length", "20", "validation-objectives", "2", "validate-every", "2"))
                .policy("mlp-lopt:hidden=6,nominal-lr=0.05").features("lopt").objective("quadratic", OBJECTIVE)
                .trainObjectives(50).steps(12).seed(3)
                .validation(validation == null ? null : "quadratic", validation)
                .context(new CreationContext(Optional.empty(), 3, rollouts)).build();
        ObjectiveProvider p = PLUGINS.objective("quadratic");
        return job.run(p.create(p.configure(OBJECTIVE), CreationContext.defaults()), new MetaTrainingListener() { });
    }

    @Test
    void pesOnAWorkerThatRebuildsTheJobGivesTheSameOptimizer() {
        double[] here = train(RolloutExecutor.sequential()).optimizer().weights().get("parameters").toDoubleVector();
        RemoteLoopback loopback = new RemoteLoopback(RemoteTasks.of(PLUGINS)::run);
        double[] there = train(loopback).optimizer().weights().get("parameters").toDoubleVector();
        assertArrayEquals(here, there, 0.0, "the learned optimizer must not depend on where its rollouts ran");
        assertTrue(!loopback.sent().isEmpty() && loopback.sent().stream().allMatch(MetaTrainingTask.KIND::equals),
                loopback.sent().toString());
    }

    @Test
    void aWorkerRebuildsTheJobsValidationObjectives() {
        Map<String, String> validation = Map.of("dimension", "6", "condition", "1000");
        MetaTrainingResult here = train(RolloutExecutor.sequential(), validation);
        RemoteLoopback loopback = new RemoteLoopback(RemoteTasks.of(PLUGINS)::run);
        MetaTrainingResult there = train(loopback, validation);
        assertArrayEquals(here.optimizer().weights().get("parameters").toDoubleVector(),
                there.optimizer().weights().get("parameters").toDoubleVector(), 0.0);
        List<Double> costs = here.history().stream().map(m -> m.get("validation_cost")).toList();
        assertEquals(costs, there.history().stream().map(m -> m.get("validation_cost")).toList());
        // and they are other objectives than the training family's own held-out ones
        assertTrue(!costs.equals(train(RolloutExecutor.sequential()).history().stream()
                .map(m -> m.get("validation_cost")).toList()), costs.toString());
    }

    @Test
    void aWorkerWithoutTheTrainerNamesIt() {
        List<PluginProvider> plugins = new ArrayList<>(PLUGINS.all());
        plugins.removeIf(p -> p instanceof MetaTrainerProvider t && t.id().equals("pes"));
        RemoteLoopback loopback = new RemoteLoopback(RemoteTasks.of(PluginRegistry.of(plugins))::run);
        PluginException e = assertThrows(PluginException.class, () -> train(loopback));
        assertTrue(e.getMessage().contains("'pes'"), e.getMessage());
        assertEquals(MetaTrainingTask.KIND, loopback.sent().get(0));
    }
}
