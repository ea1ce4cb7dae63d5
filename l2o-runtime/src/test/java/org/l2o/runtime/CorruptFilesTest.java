package org.l2o.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.l2o.api.DataFormatException;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.Provenance;
import org.l2o.api.trajectory.TrajectoryRecord;
import org.l2o.api.trajectory.TrajectorySink;
import org.l2o.runtime.io.ArrowTrajectories;
import org.l2o.runtime.io.LearnedOptimizerFile;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The readers of l2o's own files (learned optimizers, Arrow trajectories, checkpoints) against
 * truncated and bit-flipped copies of valid files: each either reads the file or fails with one
 * {@link DataFormatException} that names it, and the CLI turns that into one line and exit code 2.
 */
class CorruptFilesTest {

    private static Path dir;
    private static byte[] learned;
    private static byte[] arrow;
    private static Path model;
    private static byte[] checkpoint;

    @BeforeContainer
    static void validFiles() throws IOException {
        dir = Files.createTempDirectory("l2o-corrupt");
        Path lo = dir.resolve("valid.l2o");
        LearnedOptimizerFile.write(lo, new LearnedOptimizer("mlp", Map.of("hidden", "3"), "lm2016", Map.of(), 4, 2,
                Map.of("parameters", Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}})),
                new Provenance("gps", Map.of(), "quadratic", Map.of(), 2, 5, 1, "dev", "17", Instant.EPOCH)));
        learned = Files.readAllBytes(lo);
        Path traj = dir.resolve("valid.arrow");
        try (TrajectorySink sink = ArrowTrajectories.writer(traj)) {
            for (int t = 0; t < 30; t++) {
                sink.accept(new TrajectoryRecord("run-" + t % 3, "sgd", "quadratic", t % 3, t / 3, 1.0 / (t + 1),
                        1.5 / (t + 1), 0.1 * t, 0.01 * t, t, 1000L * t));
            }
        }
        arrow = Files.readAllBytes(traj);
        model = dir.resolve("m.l2o");
        var r = Cli.run(TrainCommandTest.train(model, 1, "--no-samples"));
        assertEquals(0, r.code(), r.err());
        checkpoint = Files.readAllBytes(Path.of(model + ".checkpoint"));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readsOrNamesTheFile(Path file, Runnable read) {
        try {
            read.run();
        } catch (DataFormatException e) {
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Property(tries = 150, seed = "20261206")
    void learnedFiles(@ForAll boolean truncate, @ForAll @DoubleRange(min = 0, max = 1) double cut,
                      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1 << 24) Integer> flips) {
        Path f = write("fuzz.l2o", org.l2o.api.testkit.Corruption.of(learned, truncate, cut, flips));
        readsOrNamesTheFile(f, () -> LearnedOptimizerFile.read(f));
    }

    @Property(tries = 150, seed = "20261206")
    void arrowTrajectories(@ForAll boolean truncate, @ForAll @DoubleRange(min = 0, max = 1) double cut,
                           @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1 << 24) Integer> flips) {
        Path f = write("fuzz.arrow", org.l2o.api.testkit.Corruption.of(arrow, truncate, cut, flips));
        readsOrNamesTheFile(f, () -> ArrowTrajectories.read(f));
    }

    /** A resume from a corrupt checkpoint: exit 0 (the damage was harmless) or one line and exit 2. */
    @Property(tries = 40, seed = "20261206")
    void checkpoints(@ForAll boolean truncate, @ForAll @DoubleRange(min = 0, max = 1) double cut,
                     @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1 << 24) Integer> flips)
            throws IOException {
        Path copy = dir.resolve("r.l2o");
        Files.write(Path.of(copy + ".checkpoint"), org.l2o.api.testkit.Corruption.of(checkpoint, truncate, cut, flips));
        var r = Cli.run(TrainCommandTest.train(copy, 1, "--no-samples", "--resume"));
        assertTrue(r.code() == 0 || r.code() == 2, "exit " + r.code() + ": " + r.err());
        if (r.code() == 2) {
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(copy + ".checkpoint"), r.err());
        }
    }

    /** Files written before provenance recorded the environment still load, with an empty one. */
    @Example
    void learnedFilesWithoutAnEnvironmentStillLoad() throws IOException {
        Path older = dir.resolve("older.l2o");
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(learned));
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(older))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().endsWith(".json")) {
                    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("provenance")).remove("environment");
                    bytes = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertEquals(Map.of(), LearnedOptimizerFile.read(older).provenance().environment());
        assertEquals("gps", LearnedOptimizerFile.read(older).provenance().trainer());
    }

    @Example
    void reportOnATruncatedArrowFileSaysSoInOneLine() {
        Path f = write("truncated.arrow", java.util.Arrays.copyOf(arrow, arrow.length / 2));
        var r = Cli.run("report", f.toString(), "--at", "5");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(f.toString()), r.err());
    }
}
