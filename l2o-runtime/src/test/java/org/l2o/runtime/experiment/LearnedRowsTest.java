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

    /** The budget table reads each learned file's provenance, the candidate's iteration included. */
    @Test
    void theBudgetTableSaysWhatEachRowSpentAndWhichCandidateItKept() {
        var provenance = new org.l2o.api.meta.Provenance("pes", Map.of(), "mlp-tasks", Map.of(), 10, 40, 1, "dev",
                "17", java.time.Instant.EPOCH).withBudget(Map.of("inner_steps", "5000", "seconds", "12.5",
                "iterations", "50", "kept_iteration", "25"));
        var lo = new org.l2o.api.meta.LearnedOptimizer("mlp-lopt", Map.of(), "lopt", Map.of(), 1, 1,
                Map.of("parameters", org.nd4j.linalg.factory.Nd4j.createFromArray(new double[] {0.0})), provenance);
        var unstamped = new org.l2o.api.meta.LearnedOptimizer("mlp", Map.of(), "lm2016", Map.of(), 1, 1,
                Map.of("parameters", org.nd4j.linalg.factory.Nd4j.createFromArray(new double[] {0.0})),
                provenance.withBudget(Map.of()));
        var rows = new java.util.LinkedHashMap<String, org.l2o.api.meta.MetaTrainingResult>();
        rows.put("es", new org.l2o.api.meta.MetaTrainingResult(lo, List.of()));
        rows.put("old", new org.l2o.api.meta.MetaTrainingResult(unstamped, List.of()));
        assertEquals(List.of(List.of("learned:es", "pes", "mlp-lopt", "5000", "12.5", "50", "25"),
                List.of("learned:old", "pes", "mlp", "not recorded", "", "", "")), LearnedRows.budgets(rows));
        assertEquals(LearnedRows.BUDGET_HEADER.size(), LearnedRows.budgets(rows).get(0).size());
    }
}
