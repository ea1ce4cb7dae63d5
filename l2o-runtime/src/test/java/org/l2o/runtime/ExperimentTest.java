package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reduced Li & Malik 2016 reproduction, end to end, as CI runs it. */
class ExperimentTest {

    @TempDir
    Path tmp;

    @Test
    void quickLiMalik2016WritesEveryOutput() throws IOException {
        Path out = tmp.resolve("lm2016");
        var r = Cli.run("experiment", "li-malik-2016", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        for (String problem : List.of("logistic-regression", "robust-regression", "nn-classifier")) {
            for (String f : List.of("summary.csv", "margin.png", "margin.svg", "example-0.png", "example-1.png",
                    "trajectories.arrow", "learned-gps.l2o")) {
                assertTrue(Files.size(out.resolve(problem).resolve(f)) > 0, problem + "/" + f);
            }
            List<String> csv = Files.readAllLines(out.resolve(problem).resolve("summary.csv"));
            assertEquals(6, csv.size(), "header and five optimizers: " + csv);
            assertTrue(csv.get(0).startsWith("problem,optimizer,objective,seeds,steps,mean_final_value"));
        }
        assertTrue(Files.size(out.resolve("contour.png")) > 0);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Wall time") && html.contains("margin.png") && html.contains("contour.png"));
        assertEquals(1 + 3 * 5, Files.readAllLines(out.resolve("summary.csv")).size());
        var bad = Cli.run("experiment", "no-such", "--out", tmp.resolve("x").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown experiment 'no-such'"), bad.err());
    }
}
