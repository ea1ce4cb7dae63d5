package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.l2o.api.PluginException;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.testkit.ProviderContract;
import org.l2o.api.update.UpdateRuleProvider;

class PluginRegistryTest {

    @Test
    void discoversEveryShippedPluginWithUniqueIds() {
        PluginRegistry r = PluginRegistry.discover();
        assertEquals(List.of("logistic-regression", "mlp-classifier", "mlp-tasks", "nn-classifier", "quadratic",
                "robust-regression", "rosenbrock"), r.all(ObjectiveProvider.class).stream().map(p -> p.id()).toList());
        assertEquals(List.of("adagrad", "adam", "cg", "lbfgs", "momentum", "nesterov", "rmsprop", "sgd"),
                r.all(UpdateRuleProvider.class).stream().map(p -> p.id()).toList());
        assertEquals(List.of("bptt", "gps", "gps-groups", "pes"),
                r.all(org.l2o.api.meta.MetaTrainerProvider.class).stream().map(p -> p.id()).toList());
        assertEquals(List.of("lm2016", "lm2017", "lm2017-state", "lopt"),
                r.all(org.l2o.api.update.FeatureMapProvider.class).stream().map(p -> p.id()).toList());
        ProviderContract.assertUniqueIds(r.all());
    }

    @Test
    void rejectsDuplicateIds() {
        var adam = PluginRegistry.discover().optimizer("adam");
        PluginException e = assertThrows(PluginException.class, () -> PluginRegistry.of(List.of(adam, adam)));
        assertTrue(e.getMessage().contains("duplicate optimizer id 'adam'"), e.getMessage());
    }

    @Test
    void unknownIdListsTheKnownOnes() {
        PluginException e = assertThrows(PluginException.class, () -> PluginRegistry.discover().optimizer("adamw"));
        assertTrue(e.getMessage().contains("unknown optimizer 'adamw'") && e.getMessage().contains("adam, cg"),
                e.getMessage());
    }

    @Test
    void explicitRegistrationWithoutDiscovery() {
        var only = PluginRegistry.of(List.of(PluginRegistry.discover().optimizer("sgd")));
        assertEquals(1, only.all().size());
        assertThrows(PluginException.class, () -> only.objective("quadratic"));
    }

    @Test
    void createsAnOptimizerFromItsSpecForEmbedders() {
        PluginRegistry r = PluginRegistry.discover();
        var rule = r.createOptimizer("adam:lr=0.01", org.l2o.api.CreationContext.defaults());
        assertTrue(rule.spec().startsWith("adam") && rule.spec().contains("lr=0.01"), rule.spec());
        var e = assertThrows(org.l2o.api.L2oException.class,
                () -> r.createOptimizer("adam:lr=-1", org.l2o.api.CreationContext.defaults()));
        assertTrue(e.getMessage().contains("lr"), e.getMessage());
    }
}
