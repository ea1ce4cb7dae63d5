package org.l2o.kernels.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.l2o.api.DataFormatException;
import org.l2o.kernels.data.Cifar;
import org.l2o.kernels.data.Idx;

/**
 * The dataset readers against truncated and bit-flipped copies of valid IDX and CIFAR files: each
 * either reads the bytes or fails with one {@link DataFormatException} naming the file, and never
 * allocates what a corrupt header promises.
 */
class CorruptDataTest {

    /** A valid unsigned-byte IDX file of 7 images of 5 x 4 pixels. */
    static byte[] idx() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x00000803);
        out.writeInt(7);
        out.writeInt(5);
        out.writeInt(4);
        for (int i = 0; i < 7 * 5 * 4; i++) {
            out.writeByte(i * 37);
        }
        return b.toByteArray();
    }

    /** Three valid CIFAR-10 records. */
    static byte[] cifar() {
        byte[] b = new byte[3 * (1 + Cifar.PIXELS)];
        for (int r = 0; r < 3; r++) {
            b[r * (1 + Cifar.PIXELS)] = (byte) (r * 3);
            for (int p = 1; p <= Cifar.PIXELS; p++) {
                b[r * (1 + Cifar.PIXELS) + p] = (byte) (p + r);
            }
        }
        return b;
    }

    @Example
    void theValidFilesRead() throws IOException {
        Idx.Array a = Idx.read(new ByteArrayInputStream(idx()), "valid.idx");
        assertArrayEquals(new int[] {7, 5, 4}, a.shape());
        Path f = Files.createTempFile("cifar", ".bin");
        try {
            Files.write(f, cifar());
            assertArrayEquals(new int[] {0, 3, 6}, Cifar.read(List.of(f), false).labels());
        } finally {
            Files.delete(f);
        }
    }

    @Property(tries = 300, seed = "20261206")
    void idxFiles(@ForAll boolean truncate, @ForAll @DoubleRange(min = 0, max = 1) double cut,
                  @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1 << 16) Integer> flips)
            throws IOException {
        byte[] bad = org.l2o.api.testkit.Corruption.of(idx(), truncate, cut, flips);
        try {
            Idx.read(new ByteArrayInputStream(bad), "fuzz.idx");
        } catch (DataFormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz.idx: "), e.getMessage());
        }
    }

    @Property(tries = 100, seed = "20261206")
    void cifarFiles(@ForAll boolean truncate, @ForAll @DoubleRange(min = 0, max = 1) double cut,
                    @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1 << 16) Integer> flips)
            throws IOException {
        Path f = Files.createTempFile("fuzz", ".bin");
        try {
            Files.write(f, org.l2o.api.testkit.Corruption.of(cifar(), truncate, cut, flips));
            Cifar.read(List.of(f), false);
        } catch (DataFormatException e) {
            assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        } finally {
            Files.delete(f);
        }
    }
}
