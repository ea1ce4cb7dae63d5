package org.l2o.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.runtime.Main;
import org.l2o.runtime.PluginRegistry;

/**
 * A DL4J network as a meta-test setting of li-malik-2017: a target that names the objective
 * ({@code dl4j-network}) instead of an MLP's sizes runs through tuning, evaluation and the reports
 * like the paper's settings. A small MLP keeps it quick; LeNet goes through the same path.
 */
class Dl4jCellIT {

    @Test
    void aDl4jNetworkIsAMetaTestSettingOfTheExperiment(@TempDir Path dir) throws Exception {
        Path settings = Files.writeString(dir.resolve("settings.json"), """
                {"gps": null, "bptt": null, "learned": [],
                 "targets": [{"dataset": "mnist", "cell": "dl4j-mlp-b32", "objective": "dl4j-network",
                              "objectiveParams": {"network": "mlp", "hidden": "16", "batch": "32"},
                              "eval": 200, "horizons": 1}]}
                """);
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"experiment", "li-malik-2017", "--quick", "--settings", settings.toString(),
            "--out", out.toString(), "--threads", "2", "--quiet"}, Map.of(), new PrintWriter(new StringWriter()),
                new PrintWriter(err), PluginRegistry.discover());
        assertEquals(0, code, err.toString());
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        List<String> cell = summary.stream().filter(l -> l.contains("dl4j-mlp-b32")).toList();
        assertTrue(cell.stream().anyMatch(l -> l.contains("adagrad")), summary.toString());
        assertTrue(cell.stream().anyMatch(l -> l.contains("oracle")), "the oracle is tuned on the DL4J setting too: "
                + cell);
        assertTrue(Files.isRegularFile(out.resolve("mnist/dl4j-mlp-b32.arrow")), "trajectories of the setting");
    }
}
