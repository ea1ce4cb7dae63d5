package org.l2o.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ND4J 1.0.0-M2.1 crashes the JVM when a collection frees a buffer that a running native call still
 * reads; {@link NativeMemory} prevents it. Each case runs {@link BroadcastLoop} in a child JVM with
 * a 4 MB young generation, the unguarded one first to show that the crash is there to prevent.
 */
class NativeMemoryIT {

    @TempDir
    Path dir;

    private record Outcome(int exit, String output) {
    }

    private Outcome loop(int seconds, boolean guarded) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-Xmn4m",
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-cp", classPath));
        if (!guarded) {
            command.add("-D" + NativeMemory.PROPERTY + "=false");
        }
        command.addAll(List.of(BroadcastLoop.class.getName(), Integer.toString(seconds), "2",
                guarded ? "guarded" : "bare"));
        Path log = dir.resolve(guarded ? "guarded.log" : "bare.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish: " + command);
        }
        return new Outcome(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void theGuardKeepsTheJvmAliveWhereNd4jAloneCrashesIt() throws Exception {
        Outcome bare = loop(30, false);
        Assumptions.assumeTrue(bare.exit() != 0,
                "ND4J did not crash in 30 s unguarded on this machine, so the guarded run would show nothing");
        assertTrue(bare.output().contains("SIGSEGV"), "expected the native crash, got:\n" + bare.output());
        Outcome guarded = loop(20, true);
        assertEquals(0, guarded.exit(), "the guarded loop crashed:\n" + guarded.output());
        assertTrue(guarded.output().contains("guarded=true"), guarded.output());
    }
}
