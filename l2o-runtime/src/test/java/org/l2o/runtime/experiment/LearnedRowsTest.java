package org.l2o.runtime.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.runtime.run.OptimizerSpec;

class LearnedRowsTest {

    private static final List<OptimizerSpec> TUNED = List.of(OptimizerSpec.parse("momentum:lr=0.3,momentum=0.5"),
            OptimizerSpec.parse("adagrad:lr=0.1"), OptimizerSpec.parse("lbfgs"));

    @Test
    void theTunedStepBecomesTheNominalStepAndTheTrainersUnlessGiven() {
        var p = LearnedRows.withTunedStep("r", Map.of("hidden", "8"), Map.of(), "lopt", "adagrad", "init-lr", TUNED);
        assertEquals(Map.of("hidden", "8", "nominal-lr", "0.1"), p.policy());
        assertEquals(Map.of("init-lr", "0.1"), p.trainer());
        var given = LearnedRows.withTunedStep("r", Map.of(), Map.of("init-lr", "0.05"), null, "adagrad", "init-lr", TUNED);
        assertEquals("0.05", given.trainer().get("init-lr"));
        var none = LearnedRows.withTunedStep("r", Map.of("hidden", "8"), Map.of("x", "1"), null, null, null, TUNED);
        assertEquals(Map.of("hidden", "8"), none.policy());
        assertEquals(Map.of("x", "1"), none.trainer());
        assertEquals("lopt", p.features());
    }

    /** A heavy-ball nominal term takes the tuned momentum coefficient into the feature map. */
    @Test
    void aMomentumNominalTermTakesTheTunedCoefficient() {
        Map<String, String> heavy = Map.of("nominal", "momentum");
        assertEquals("lopt:nominal-momentum=0.5", LearnedRows.withTunedStep("r", heavy, Map.of(), "lopt", "momentum",
                null, TUNED).features());
        assertEquals("lopt:decays=0.5,0.9,nominal-momentum=0.5", LearnedRows.withTunedStep("r", heavy, Map.of(),
                "lopt:decays=0.5,0.9", "momentum", null, TUNED).features());
        assertEquals("lopt:nominal-momentum=0.9", LearnedRows.withTunedStep("r", heavy, Map.of(),
                "lopt:nominal-momentum=0.9", "momentum", null, TUNED).features(), "a given coefficient stays");
        assertEquals("0.3", LearnedRows.withTunedStep("r", heavy, Map.of(), "lopt", "momentum", null, TUNED).policy()
                .get("nominal-lr"));
        var e = assertThrows(ConfigurationException.class,
                () -> LearnedRows.withTunedStep("row", heavy, Map.of(), "lopt", "adagrad", null, TUNED));
        assertTrue(e.getMessage().contains("needs a tuned momentum coefficient"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> LearnedRows.withTunedStep("row", heavy, Map.of(), null, "momentum", null, TUNED));
        assertTrue(e.getMessage().contains("feature map"), e.getMessage());
    }

    @Test
    void whatCannotBeCopiedIsNamed() {
        for (String[] bad : new String[][] {{"adam", null, "'adam' is not among the tuned optimizers (momentum, "
                + "adagrad, lbfgs)"}, {"lbfgs", null, "tuned lbfgs has no lr"}, {null, "init-lr", "trainerLr needs "
                + "nominalFrom"}}) {
            var e = assertThrows(ConfigurationException.class,
                    () -> LearnedRows.withTunedStep("row", Map.of(), Map.of(), "lopt", bad[0], bad[1], TUNED));
            assertTrue(e.getMessage().contains("learned 'row'") && e.getMessage().contains(bad[2]), e.getMessage());
        }
    }
}
