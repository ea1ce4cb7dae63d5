package org.l2o.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An experiment's checkpoints continue without being asked, but only their own command's runs. */
class RunCheckpointTest {

    @TempDir
    Path dir;

    private static Runs.Finished run(int seed) {
        return new Runs.Finished(new RunResult("adam/" + seed, "adam", "quadratic", seed,
                new double[] {1.0, 0.5 / (seed + 1)}, 3, 1), List.of());
    }

    @Test
    void continuingResumesTheSameCommandAndRestartsAnother() {
        Path target = dir.resolve("mnist.cell");
        List<String> notes = new ArrayList<>();
        try (RunCheckpoint c = RunCheckpoint.continuing(target, "command A", notes::add)) {
            assertEquals(0, c.resumed());
            c.append(run(0));
            c.append(run(1));
        }
        assertEquals(List.of(), notes, "a first run has nothing to say");
        try (RunCheckpoint c = RunCheckpoint.continuing(target, "command A", notes::add)) {
            assertEquals(2, c.resumed());
            assertEquals(0.25, c.done().get(1).result().values()[1], 0.0);
        }
        assertTrue(notes.get(0).startsWith("2 run(s) read back from"), notes.toString());
        try (RunCheckpoint c = RunCheckpoint.continuing(target, "command B", notes::add)) {
            assertEquals(0, c.resumed(), "another command's runs are not taken over");
        }
        assertTrue(notes.get(1).endsWith("was written by another command; its runs are done again"), notes.toString());
        try (RunCheckpoint c = RunCheckpoint.continuing(target, "command B", notes::add)) {
            assertEquals(0, c.resumed());
        }
        assertEquals(2, notes.size(), "the restarted checkpoint is command B's: " + notes);
        assertTrue(Files.exists(RunCheckpoint.fileFor(target)));
    }
}
