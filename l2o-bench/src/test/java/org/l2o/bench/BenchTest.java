package org.l2o.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTest {

    @Test
    void caseNamesAreUniqueAndCarryTheirPrecision() {
        List<Bench.Case> cases = Bench.cases();
        assertEquals(cases.size(), new HashSet<>(cases.stream().map(Bench.Case::name).toList()).size());
        for (Bench.Case c : cases) {
            if (c.name().startsWith("mlp/") || c.name().startsWith("lstm/") || c.name().startsWith("lm2017/")) {
                assertTrue(c.name().endsWith("/f32") || c.name().endsWith("/f64"), c.name());
            }
        }
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("mlp/784-100-10/64/adam/f32")));
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("bound/adam/1000000")));
        assertTrue(cases.stream().anyMatch(c -> c.name().equals("lm2017/22210/f64")));
    }

    @Test
    void dl4jRowsAreComparedWithDl4jsOwnAdamOnTheSameNetwork() {
        var rows = Bench.rows(java.util.Map.of("dl4j/lenet-im2col/64/adam", 0.5, "dl4j/lenet/64/adam", 2.0,
                "dl4j/lenet/64/l2o-adam", 1.8, "dl4j/mlp500/2/adam", 50.0, "dl4j/mlp500/2/mnist-v1", 5.0),
                java.util.Map.of());
        for (Bench.Row r : rows) {
            switch (r.name()) {
                case "dl4j/lenet/64/l2o-adam" -> assertEquals(List.of("dl4j-adam", 2.0), List.of(r.reference(),
                        r.referenceRate()));
                case "dl4j/mlp500/2/mnist-v1" -> assertEquals(List.of("dl4j-adam", 50.0), List.of(r.reference(),
                        r.referenceRate()));
                // DL4J's Adam on native convolutions against its own im2col path
                case "dl4j/lenet/64/adam" -> assertEquals(List.of("dl4j-im2col", 0.5), List.of(r.reference(),
                        r.referenceRate()));
                default -> assertEquals("", r.reference(), r.name());
            }
        }
    }

    @Test
    void theBenchmarksEachCaseNamesExist() throws Exception {
        for (Bench.Case c : Bench.cases()) {
            String method = c.benchmark();
            Class<?> type = Class.forName(method.substring(0, method.lastIndexOf('.')));
            type.getMethod(method.substring(method.lastIndexOf('.') + 1));
            for (String param : c.params().keySet()) {
                type.getField(param);
            }
        }
    }

    @Test
    void parsesOptionsAndRejectsBadOnes() {
        Bench.Options o = Bench.parse(new String[] {"--quick", "--include", "mlp/48", "--python", "py", "--gps"});
        assertTrue(o.quick());
        assertTrue(o.gps());
        assertFalse(o.vsPytorch());
        assertTrue(o.include().matcher("mlp/48-48-10/64/adam/f32").find());
        assertEquals("py", o.python());
        assertNull(Bench.parse(new String[] {"--help"}));
        Bench.Options gpsOnly = Bench.parse(new String[] {"--gps"});
        assertFalse(gpsOnly.include().matcher("mlp/48-48-10/64/adam/f32").find(), "--gps alone runs no JMH case");
        var unknown = assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[] {"--fast"}));
        assertTrue(unknown.getMessage().contains("'--fast'"), unknown.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[] {"--include"}));
        assertTrue(missing.getMessage().contains("needs a value"), missing.getMessage());
        var dir = assertThrows(IllegalArgumentException.class,
                () -> Bench.parse(new String[] {"--data-dir", "/no/such/folder"}));
        assertTrue(dir.getMessage().contains("/no/such/folder"), dir.getMessage());
    }

    @Test
    void mlpFlopsCountForwardWeightAndInputGradients() {
        // 784-100-10, B = 64: forward 2*64*(78400 + 1000), weight gradients the same, input gradient of layer 2 only
        double forward = 2.0 * 64 * (784 * 100 + 100 * 10);
        assertEquals(2 * forward + 2.0 * 64 * 100 * 10, Bench.mlpFlops("mlp/784-100-10/64/adam/f32"), 1e-6);
    }

    @Test
    void rowsCompareWithTheRightReferenceAndLimit() {
        var l2o = new java.util.LinkedHashMap<String, Double>();
        l2o.put("gemm/512/f32", 100.0);
        l2o.put("mlp/48-48-10/64/adam/f32", 2000.0);
        l2o.put("optimizer/sgd/1000", 50.0);
        l2o.put("bound/sgd/1000", 100.0);
        var rows = Bench.rows(l2o, java.util.Map.of("mlp/48-48-10/64/adam/f32", 1000.0));
        assertEquals(3, rows.size());
        Bench.Row mlp = rows.get(1);
        assertEquals("pytorch", mlp.reference());
        assertEquals(100.0 * 2 * 512 * 512 * 512 / Bench.mlpFlops(mlp.name()), mlp.limit(), 1e-6);
        assertTrue(mlp.line().contains("ratio=2.000"), mlp.line());
        assertTrue(rows.get(2).line().contains("bound=100.0 ratio=0.500"), rows.get(2).line());
        assertTrue(rows.get(0).line().contains("gflops=26.8"), rows.get(0).line());
    }

    @Test
    void thePeerScriptShipsWithTheModule() {
        assertTrue(Files.isRegularFile(Path.of("src/main/python/peer_pytorch.py")));
    }

    /** One iteration of each benchmark body outside JMH, on the embedded data: the set-ups work. */
    @Test
    void benchmarkBodiesRun() {
        MlpTrainingStep mlp = new MlpTrainingStep();
        mlp.benchCase = "48-48-10/10/adam/f32";
        mlp.setUp();
        double first = mlp.step();
        assertTrue(first > 0 && Double.isFinite(first), "step norm " + first);
        OptimizerStep rule = new OptimizerStep();
        rule.rule = "adam";
        rule.size = 1000;
        rule.setUp();
        assertTrue(rule.platform() > 0);
        rule.boundLoop();
        PolicyStep policy = new PolicyStep();
        policy.size = 12;
        policy.setUp();
        assertTrue(Double.isFinite(policy.step()));
        for (String kind : new String[] {"l2l", "lm2017"}) {
            LearnedStep lstm = new LearnedStep();
            lstm.size = 100;
            lstm.policy = kind;
            lstm.setUp();
            assertTrue(Double.isFinite(lstm.step()) && Double.isFinite(lstm.step()), kind);
        }
    }
}
