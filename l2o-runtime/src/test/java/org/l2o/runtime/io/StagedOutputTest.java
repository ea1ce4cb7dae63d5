package org.l2o.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedOutputTest {

    @TempDir
    Path tmp;

    private List<String> hidden() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void aFailedRunLeavesTheTargetAsItWasAndNoStagingFolder() throws IOException {
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        Files.writeString(target.resolve("summary.csv"), "old");
        try (StagedOutput out = StagedOutput.open(target)) {
            Files.writeString(out.file("summary.csv"), "new");
            assertEquals(1, hidden().size(), "one staging folder while the run writes");
        }
        assertEquals("old", Files.readString(target.resolve("summary.csv")));
        assertEquals(List.of(), hidden());
        try (StagedOutput out = StagedOutput.open(target)) {
            Files.writeString(out.file("summary.csv"), "new");
            out.commit();
        }
        assertEquals("new", Files.readString(target.resolve("summary.csv")));
        assertEquals(List.of(), hidden());
    }

    @Test
    void stagingFoldersOfDeadProcessesAreRemovedAndLiveOnesKept() throws IOException {
        Path target = tmp.resolve("run");
        StagedOutput first = StagedOutput.open(target);
        String live = first.dir().getFileName().toString();
        String prefix = live.substring(0, live.lastIndexOf('-', live.lastIndexOf('-') - 1) + 1);
        assertTrue(live.startsWith(prefix + ProcessHandle.current().pid() + "-"), live);
        // a killed run's folder (a process id no machine gives out), one of another machine, and
        // one of another target
        Path dead = Files.createDirectories(tmp.resolve(prefix + "4999999999-123"));
        Files.writeString(dead.resolve("half-written.csv"), "x");
        Path otherHost = Files.createDirectories(tmp.resolve(".run.tmp-elsewhere-4999999999-7"));
        Path otherTarget = Files.createDirectories(tmp.resolve(".run2.tmp-" + prefix.substring(".run.tmp-".length())
                + "4999999999-8"));
        StagedOutput second = StagedOutput.open(target);
        assertFalse(Files.exists(dead), "the dead process's staging folder is removed");
        assertTrue(Files.isDirectory(first.dir()), "a live run's staging folder is kept");
        assertTrue(Files.isDirectory(otherHost));
        assertTrue(Files.isDirectory(otherTarget));
        first.close();
        second.close();
    }
}
