package org.l2o.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;

class OptimizerSpecTest {

    @Test
    void listValuesContinueTheirKey() {
        OptimizerSpec s = OptimizerSpec.parse("mlp-lopt:hidden=32,32,nominal=adam,inputs=23");
        assertEquals("mlp-lopt", s.id());
        assertEquals(Map.of("hidden", "32,32", "nominal", "adam", "inputs", "23"), s.parameters());
    }

    @Test
    void aValueBeforeAnyKeyIsRefused() {
        var e = assertThrows(ConfigurationException.class, () -> OptimizerSpec.parse("adam:0.1,lr=3"));
        assertTrue(e.getMessage().contains("'0.1'"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> OptimizerSpec.parse("adam:lr=1,lr=2"));
    }

    @Test
    void aBareUnknownNameIsNeitherAFileNorAPretrainedOptimizer() {
        var e = assertThrows(org.l2o.api.DataFormatException.class, () -> LearnedOptimizers.locate("no-such-optimizer"));
        assertTrue(e.getMessage().contains("no-such-optimizer") && e.getMessage().contains("pretrained"), e.getMessage());
        // something that looks like a path stays a path, so the file reader names it
        assertEquals(java.nio.file.Path.of("runs/x.l2o"), LearnedOptimizers.locate("runs/x.l2o"));
    }

    /** The pretrained optimizers shipped inside l2o run by name, without a file, and optimize. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mnist-v1", "mnist-v2", "mnist-v3", "mnist-v4"})
    void theShippedPretrainedOptimizersRunByName(String name) {
        assertTrue(LearnedOptimizers.pretrained().contains(name), LearnedOptimizers.pretrained().toString());
        var rule = OptimizerSpec.parse("learned:" + name).create(org.l2o.runtime.PluginRegistry.discover(),
                org.l2o.api.CreationContext.defaults());
        var f = org.l2o.api.testkit.TestObjectives.quadratic(6, 10, 3);
        var r = org.l2o.api.update.Rollout.run(f, rule, f.initialPoint(org.l2o.api.Seeds.generator(1)), 50,
                org.l2o.api.Seeds.generator(2));
        assertTrue(!r.stoppedEarly(50) && r.finalValue() < r.values()[0], "final " + r.finalValue() + " start "
                + r.values()[0]);
    }
}
