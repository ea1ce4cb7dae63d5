package org.l2o.api.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.l2o.api.DataFormatException;
import org.l2o.api.Seeds;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointCodecTest {

    private static byte[] sample() {
        CheckpointWriter w = new CheckpointWriter().section("s").integer(-3).longValue(1L << 40).number(Math.PI)
                .flag(true).text("héllo").vector(new double[] {1, -0.0, Double.MIN_VALUE})
                .matrix(new double[][] {{1, 2}, {}, {3}}).texts(Map.of("b", "2", "a", "1"))
                .arrays(Map.of("w", Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}})));
        MetaTrainingLoop.writeLearned(w, new LearnedOptimizer("p", Map.of("k", "v"), "f", Map.of(), 3, 2,
                Map.of("parameters", Nd4j.createFromArray(0.5, 0.25)), new Provenance("t", Map.of("x", "1"), "o",
                        Map.of(), 4, 5, 6, "v1", "17", Instant.parse("2026-01-02T03:04:05Z"), List.of("resumed"))));
        return w.bytes();
    }

    @Test
    void everyFieldRoundTripsExactly() {
        CheckpointReader r = new CheckpointReader(sample(), "test");
        r.section("s");
        assertEquals(-3, r.integer());
        assertEquals(1L << 40, r.longValue());
        assertEquals(Math.PI, r.number(), 0.0);
        assertTrue(r.flag());
        assertEquals("héllo", r.text());
        double[] v = r.vector();
        assertArrayEquals(new double[] {1, -0.0, Double.MIN_VALUE}, v, 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(v[1]));
        double[][] m = r.matrix();
        assertEquals(3, m.length);
        assertEquals(0, m[1].length);
        assertEquals(Map.of("a", "1", "b", "2"), r.texts());
        var w = r.arrays().get("w");
        assertArrayEquals(new long[] {2, 3}, w.shape());
        assertEquals(6.0, w.getDouble(1, 2), 0.0);
        LearnedOptimizer lo = MetaTrainingLoop.readLearned(r);
        assertEquals(List.of("resumed"), lo.provenance().history());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), lo.provenance().created());
        assertArrayEquals(new double[] {0.5, 0.25}, lo.weights().get("parameters").toDoubleVector(), 0.0);
        r.end();
    }

    /** A budget round trips; a learned optimizer written before budgets were kept reads back with none. */
    @Test
    void theBudgetRoundTripsAndOlderCheckpointsHaveNone() {
        Provenance p = new Provenance("t", Map.of(), "o", Map.of(), 4, 5, 6, "v1", "17",
                Instant.parse("2026-01-02T03:04:05Z"), List.of(), Map.of("os", "x"),
                Map.of("inner_steps", "120", "seconds", "3.5", "iterations", "2"));
        LearnedOptimizer lo = new LearnedOptimizer("p", Map.of(), "f", Map.of(), 3, 2,
                Map.of("parameters", Nd4j.createFromArray(0.5, 0.25)), p);
        CheckpointWriter w = new CheckpointWriter();
        MetaTrainingLoop.writeLearned(w, lo);
        w.section("next");
        CheckpointReader r = new CheckpointReader(w.bytes(), "test");
        assertEquals(p, MetaTrainingLoop.readLearned(r).provenance());
        r.section("next");
        r.end();
        // the fields writeLearned wrote before the budget, then what followed them in the loop's stream
        CheckpointWriter old = new CheckpointWriter().flag(true).text("p").texts(Map.of()).text("f").texts(Map.of())
                .integer(3).integer(2).arrays(lo.weights()).text("t").texts(Map.of()).text("o").texts(Map.of())
                .integer(4).integer(5).longValue(6).text("v1").text("17").text("2026-01-02T03:04:05Z").integer(0)
                .texts(Map.of("os", "x"));
        old.section("trainer");
        CheckpointReader o = new CheckpointReader(old.bytes(), "old");
        assertEquals(Map.of(), MetaTrainingLoop.readLearned(o).provenance().budget());
        o.section("trainer");
        o.end();
    }

    @Test
    void aFieldOfAnotherTypeIsNamedInTheMessage() {
        CheckpointReader r = new CheckpointReader(sample(), "state.bin");
        r.section("s");
        var e = assertThrows(DataFormatException.class, r::number);
        assertTrue(e.getMessage().startsWith("state.bin:") && e.getMessage().contains("field 2"), e.getMessage());
        var wrongSection = assertThrows(DataFormatException.class,
                () -> new CheckpointReader(sample(), "x").section("other"));
        assertTrue(wrongSection.getMessage().contains("'other'"), wrongSection.getMessage());
    }

    @Test
    void aHugeLengthIsRefusedBeforeAllocating() {
        byte[] b = new CheckpointWriter().vector(new double[] {1}).bytes();
        // header (8 bytes), tag (1), then the length: claim 2^27 values with 8 bytes present
        b[9] = 0x08;
        var e = assertThrows(DataFormatException.class, () -> new CheckpointReader(b, "x").vector());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    /** Truncations and byte flips either read back or fail with a DataFormatException, never anything else. */
    @Test
    void corruptStatesFailOnlyWithDataFormatErrors() {
        byte[] good = sample();
        RandomGenerator random = Seeds.generator(11);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bad = trial % 2 == 0 ? java.util.Arrays.copyOf(good, random.nextInt(good.length)) : good.clone();
            if (trial % 2 == 1) {
                for (int k = 0; k < 1 + random.nextInt(3); k++) {
                    bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            try {
                CheckpointReader r = new CheckpointReader(bad, "fuzz");
                r.section("s");
                r.integer();
                r.longValue();
                r.number();
                r.flag();
                r.text();
                r.vector();
                r.matrix();
                r.texts();
                r.arrays();
                MetaTrainingLoop.readLearned(r);
                r.end();
            } catch (DataFormatException expected) {
                // the one failure a corrupt state may cause
            }
        }
    }
}
