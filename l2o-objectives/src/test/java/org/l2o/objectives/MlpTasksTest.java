package org.l2o.objectives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.CreationContext;
import org.l2o.api.Seeds;
import org.l2o.api.objective.Objective;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.testkit.ObjectiveContract;
import org.l2o.objectives.mlp.MlpTasksProvider;
import org.nd4j.linalg.api.ndarray.INDArray;

class MlpTasksTest {

    static final MlpTasksProvider TASKS = new MlpTasksProvider();

    static Map<String, String> small(String... more) {
        Map<String, String> p = new HashMap<>(Map.of("projections", "8,12", "projection-seeds", "2", "depths", "1,2",
                "widths", "4,6", "batches", "16,10", "eval-samples", "300"));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    static ObjectiveFamily family(Map<String, String> p) {
        return TASKS.create(TASKS.configure(p), CreationContext.defaults());
    }

    /** Every task reparameterised, so the gradient checks cover the rescaling too. */
    @Nested
    class Contract extends ObjectiveContract {
        @Override
        protected ObjectiveProvider provider() {
            return TASKS;
        }

        @Override
        protected Map<String, String> parameters() {
            return small("reparameterise", "1", "min-reparam-scale", "0.1", "max-reparam-scale", "10",
                    "activations", "tanh,sigmoid");
        }
    }

    @Test
    void tasksDifferInArchitecture() {
        ObjectiveFamily f = family(small());
        Set<Integer> dimensions = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            dimensions.add(f.train(1, i).dimension());
        }
        assertTrue(dimensions.size() >= 3, "dimensions drawn: " + dimensions);
    }

    /** The reparameterised task is the same net seen through x = s w: equal values, gradients times s. */
    @Test
    void reparameterisationRescalesWhatTheOptimizerSees() {
        Objective plain = family(small("reparameterise", "0")).train(3, 0);
        Objective scaled = family(small("reparameterise", "1")).train(3, 0);
        assertEquals(plain.layout(), scaled.layout());
        INDArray x0 = plain.initialPoint(Seeds.generator(5));
        INDArray w0 = scaled.initialPoint(Seeds.generator(5));
        var e0 = plain.evaluate(x0);
        var e1 = scaled.evaluate(w0);
        assertEquals(e0.value(), e1.value(), 1e-12 * e0.value());
        double[] g0 = e0.gradient().toDoubleVector();
        double[] g1 = e1.gradient().toDoubleVector();
        double[] a = x0.toDoubleVector();
        double[] b = w0.toDoubleVector();
        boolean differs = false;
        for (var g : plain.layout().groups()) {
            int j = g.offset();
            if (a[j] == 0) {
                continue;
            }
            double s = a[j] / b[j];
            differs |= Math.abs(Math.log(s)) > 1e-3;
            for (int k = g.offset(); k < g.end(); k++) {
                assertEquals(g0[k] * s, g1[k], 1e-9 * Math.abs(g0[k] * s) + 1e-15, g.name() + " coordinate " + k);
            }
        }
        assertTrue(differs, "no tensor was rescaled");
    }

    @Test
    void invalidChoicesNameTheParameter() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> family(small("depths", "0")));
        assertTrue(e.getMessage().contains("depths"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> family(small("activations", "relu,swish")));
        assertTrue(e.getMessage().contains("activations") && e.getMessage().contains("swish"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> family(small("min-init-scale", "3")));
        assertTrue(e.getMessage().contains("scale"), e.getMessage());
    }
}
