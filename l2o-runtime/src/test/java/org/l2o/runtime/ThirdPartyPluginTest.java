package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.PluginProvider;
import org.l2o.api.testkit.UpdateRuleContract;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.api.update.UpdateRuleProvider;
import org.l2o.runtime.io.ArrowTrajectories;

class ThirdPartyPluginTest {

    @TempDir
    Path tmp;

    @Nested
    class Contract extends UpdateRuleContract {
        @Override
        protected UpdateRuleProvider provider() {
            return new SignSgdProvider();
        }

        @Override
        protected Map<String, String> convergentParameters() {
            return Map.of("lr", "0.02");
        }
    }

    @Test
    void registeredExplicitlyItRunsThroughEvaluate() {
        List<PluginProvider> plugins = new ArrayList<>(PluginRegistry.discover().all());
        plugins.add(new SignSgdProvider());
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"evaluate", "--objective", "rosenbrock", "--optimizer", "sign-sgd:lr=0.001",
            "--steps", "10", "--quiet", "--out", tmp.resolve("out").toString()}, Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(err), PluginRegistry.of(plugins));
        assertEquals(0, code, err.toString());
        List<TrajectoryRecord> rows = ArrowTrajectories.read(tmp.resolve("out/trajectories.arrow"));
        // every step of sign descent in 2-D has length lr * sqrt(2)
        assertEquals(0.001 * Math.sqrt(2), rows.get(5).stepNorm(), 1e-15);
        assertTrue(rows.get(10).value() < rows.get(0).value());
    }
}
