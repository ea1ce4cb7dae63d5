package org.l2o.kernels.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.l2o.api.DataFormatException;
import org.l2o.kernels.data.Cifar;
import org.l2o.kernels.data.Datasets;
import org.l2o.kernels.data.Idx;
import org.l2o.kernels.data.LabeledImages;

class DatasetsTest {

    @TempDir
    Path dir;

    /** Path of the shared datasets, or empty (tests needing them skip) when absent. */
    static Optional<Path> shared() {
        Path p = Path.of(System.getProperty("l2o.test.datasets", "../../shared/datasets"));
        return Files.isDirectory(p.resolve("mnist")) ? Optional.of(p) : Optional.empty();
    }

    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return b.toByteArray();
    }

    static void write(Path p, byte[] bytes, boolean gzip) throws IOException {
        Files.createDirectories(p.getParent());
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(bytes);
        }
    }

    /** A 3-image, 2x2-pixel IDX dataset in {@code folder}. */
    static void smallIdx(Path folder, boolean gzip) throws IOException {
        String s = gzip ? ".gz" : "";
        write(folder.resolve("train-images-idx3-ubyte" + s), idx(0x803, new int[] {3, 2, 2},
                new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255}), gzip);
        write(folder.resolve("train-labels-idx1-ubyte" + s), idx(0x801, new int[] {3}, new byte[] {2, 0, 1}), gzip);
    }

    @Test
    void readsRawAndGzipIdx() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path folder = dir.resolve("set-" + gzip);
            smallIdx(folder, gzip);
            LabeledImages d = Datasets.load(folder.toString(), true, Optional.empty());
            assertEquals(3, d.count());
            assertEquals(4, d.features());
            assertEquals(3, d.classes());
            assertArrayEquals(new int[] {2, 0, 1}, d.labels());
            assertEquals(255, d.pixels()[11] & 0xFF);
        }
    }

    @Test
    void rejectsWrongMagicNamingTheFile() throws IOException {
        Path f = dir.resolve("bad/train-images-idx3-ubyte");
        write(f, idx(0x0D03, new int[] {1, 1, 1}, new byte[] {0}), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void rejectsTruncatedFileNamingIt() throws IOException {
        Path f = dir.resolve("t/train-images-idx3-ubyte.gz");
        write(f, idx(0x803, new int[] {10, 2, 2}, new byte[] {1, 2, 3}), true);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        Path empty = dir.resolve("t/empty");
        Files.write(empty, new byte[0]);
        assertThrows(DataFormatException.class, () -> Idx.read(empty));
    }

    @Test
    void rejectsMismatchedImageAndLabelCounts() throws IOException {
        Path folder = dir.resolve("mismatch");
        write(folder.resolve("train-images-idx3-ubyte"), idx(0x803, new int[] {2, 1, 1}, new byte[] {0, 1}), false);
        write(folder.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {3}, new byte[] {0, 1, 1}), false);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.load(folder.toString(), true, Optional.empty()));
        assertTrue(e.getMessage().contains("2 images") && e.getMessage().contains("3 labels"), e.getMessage());
    }

    @Test
    void missingDatasetNamesTheFolderTried() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.load("fer2013", true, Optional.of(dir)));
        assertTrue(e.getMessage().contains(dir.resolve("fer2013").toString()), e.getMessage());
        assertThrows(DataFormatException.class, () -> Datasets.load("no-such-set", true, Optional.empty()));
    }

    static byte[] cifarRecords(boolean hundred, int[] labels) {
        int lb = hundred ? 2 : 1;
        byte[] out = new byte[labels.length * (lb + Cifar.PIXELS)];
        for (int i = 0; i < labels.length; i++) {
            int off = i * (lb + Cifar.PIXELS);
            if (hundred) {
                out[off] = (byte) (labels[i] / 5); // coarse label
            }
            out[off + lb - 1] = (byte) labels[i];
            for (int p = 0; p < Cifar.PIXELS; p++) {
                out[off + lb + p] = (byte) (p + i);
            }
        }
        return out;
    }

    @Test
    void readsCifar10AndCifar100Layouts() throws IOException {
        Path c10 = dir.resolve("cifar-10-batches-bin");
        write(c10.resolve("data_batch_1.bin"), cifarRecords(false, new int[] {3, 9}), false);
        write(c10.resolve("data_batch_2.bin"), cifarRecords(false, new int[] {1}), false);
        LabeledImages a = Datasets.load("cifar-10", true, Optional.of(dir));
        assertEquals(3, a.count());
        assertEquals(10, a.classes());
        assertArrayEquals(new int[] {3, 9, 1}, a.labels());
        assertEquals(Cifar.PIXELS, a.features());
        assertEquals(1, a.pixels()[Cifar.PIXELS + 0]); // second image, first pixel = 0 + 1

        Path c100 = dir.resolve("cifar-100-binary");
        write(c100.resolve("train.bin"), cifarRecords(true, new int[] {99, 42}), false);
        LabeledImages b = Datasets.load("cifar-100", true, Optional.of(dir));
        assertEquals(100, b.classes());
        assertArrayEquals(new int[] {99, 42}, b.labels());
        assertEquals(1, b.pixels()[Cifar.PIXELS]);
    }

    @Test
    void rejectsTruncatedCifar() throws IOException {
        Path c10 = dir.resolve("cifar-10-batches-bin");
        byte[] rec = cifarRecords(false, new int[] {1, 2});
        write(c10.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(rec, rec.length - 7), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.load("cifar-10", true,
                Optional.of(dir)));
        assertTrue(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
    }

    @Test
    void embeddedSubsetsLoadWithoutADataDirectory() {
        for (String name : List.of("mnist", "fashion-mnist")) {
            LabeledImages d = Datasets.load(name, true, Optional.empty());
            assertEquals(784, d.features());
            assertEquals(10, d.classes());
            assertTrue(d.count() >= 2000, name + " subset has " + d.count());
            // every class is present
            assertEquals(10, java.util.Arrays.stream(d.labels()).distinct().count());
        }
    }

    @Test
    void sharedDatasetsHaveTheirDocumentedSizes() {
        Optional<Path> root = shared();
        assumeTrue(root.isPresent(), "shared datasets not found (set -Dl2o.test.datasets); skipping");
        assertEquals(60_000, Datasets.load("mnist", true, root).count());
        assertEquals(10_000, Datasets.load("mnist", false, root).count());
        LabeledImages fer = Datasets.load("fer2013", true, root);
        assertEquals(7, fer.classes());
        assertEquals(2304, fer.features());
        LabeledImages cifar = Datasets.load("cifar-10", true, root);
        assertEquals(10_000, cifar.count());
        assertEquals(3072, cifar.features());
        // The embedded subset is the head of the full training set.
        LabeledImages embedded = Datasets.load("mnist", true, Optional.empty());
        LabeledImages full = Datasets.load("mnist", true, root);
        assertArrayEquals(java.util.Arrays.copyOf(full.labels(), embedded.count()), embedded.labels());
    }
}
