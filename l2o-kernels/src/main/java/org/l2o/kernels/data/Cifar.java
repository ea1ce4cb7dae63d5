package org.l2o.kernels.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.l2o.api.DataFormatException;

/**
 * Reader for the CIFAR binary formats: CIFAR-10 records are one label byte and 3072 pixel bytes
 * (R, G, B planes of 32x32); CIFAR-100 records have a coarse and a fine label byte first (the
 * fine label, 100 classes, is used).
 */
public final class Cifar {

    /** Pixel bytes per image. */
    public static final int PIXELS = 3072;

    private Cifar() {
    }

    /** Reads and concatenates CIFAR-10 ({@code hundred = false}) or CIFAR-100 batch files. */
    public static LabeledImages read(List<Path> files, boolean hundred) {
        int labelBytes = hundred ? 2 : 1;
        int record = labelBytes + PIXELS;
        int classes = hundred ? 100 : 10;
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        java.util.ArrayList<Integer> labels = new java.util.ArrayList<>();
        for (Path f : files) {
            byte[] all;
            try (InputStream in = Idx.open(f)) {
                all = in.readAllBytes();
            } catch (NoSuchFileException e) {
                throw new DataFormatException(f + ": file not found");
            } catch (IOException e) {
                throw new DataFormatException(f + ": cannot read: " + e.getMessage(), e);
            }
            if (all.length == 0 || all.length % record != 0) {
                throw new DataFormatException(f + ": " + all.length + " bytes is not a whole number of "
                        + (hundred ? "CIFAR-100" : "CIFAR-10") + " records of " + record + " bytes (truncated or wrong format)");
            }
            for (int off = 0; off < all.length; off += record) {
                int label = all[off + labelBytes - 1] & 0xFF;
                if (label >= classes) {
                    throw new DataFormatException(f + ": record " + off / record + " has label " + label
                            + ", expected < " + classes);
                }
                labels.add(label);
                pixels.write(all, off + labelBytes, PIXELS);
            }
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        return new LabeledImages(files.size() == 1 ? files.get(0).toString() : files.get(0).getParent().toString(),
                pixels.toByteArray(), y, PIXELS, classes);
    }

    /** Files of a CIFAR folder for a split, in order; {@code hundred} selects the CIFAR-100 names. */
    public static List<Path> files(Path folder, boolean hundred, boolean train) {
        if (hundred) {
            return List.of(folder.resolve(train ? "train.bin" : "test.bin"));
        }
        if (!train) {
            return List.of(folder.resolve("test_batch.bin"));
        }
        java.util.ArrayList<Path> out = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Path p = folder.resolve("data_batch_" + i + ".bin");
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            out.add(folder.resolve("data_batch_1.bin"));
        }
        return out;
    }
}
