package org.l2o.kernels.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.l2o.api.DataFormatException;

/**
 * Reader for IDX files (the format of MNIST, Fashion-MNIST and the FER2013 copy here), raw or
 * gzip-compressed (recognised by content, not by name). Only unsigned-byte data is supported,
 * which is what image and label files use.
 */
public final class Idx {

    /** Element type code of unsigned bytes in the IDX magic number. */
    private static final int UBYTE = 0x08;

    /** Contents of one IDX file. */
    public record Array(int[] shape, byte[] data) {
    }

    private Idx() {
    }

    /** Reads one IDX file, failing with a message that names it when it is missing or malformed. */
    public static Array read(Path file) {
        try (InputStream raw = open(file)) {
            return read(raw, file.toString());
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file + ": file not found");
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads one IDX stream, raw or gzip; {@code file} names it in messages. */
    public static Array read(InputStream source, String file) {
        try (DataInputStream in = new DataInputStream(maybeGunzip(source))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new DataFormatException(file + ": empty or truncated IDX file (no magic number)");
            }
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UBYTE || (magic & 0xFF) == 0 || (magic & 0xFF) > 4) {
                throw new DataFormatException(String.format(
                        "%s: not an unsigned-byte IDX file (magic number 0x%08X; expected 0x0000080N with N = 1..4)",
                        file, magic));
            }
            int rank = magic & 0xFF;
            int[] shape = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                shape[i] = in.readInt();
                if (shape[i] <= 0) {
                    throw new DataFormatException(file + ": dimension " + i + " has size " + shape[i]);
                }
                total *= shape[i];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(file + ": " + total + " elements are more than one array can hold");
            }
            // read what is there rather than allocate what a (possibly corrupt) header promises
            byte[] data = in.readNBytes((int) total);
            if (data.length < total) {
                throw new DataFormatException(file + ": truncated: header promises " + total + " bytes of data, "
                        + data.length + " present");
            }
            return new Array(shape, data);
        } catch (EOFException e) {
            throw new DataFormatException(file + ": truncated IDX header");
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static InputStream maybeGunzip(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(2);
        int a = b.read();
        int c = b.read();
        b.reset();
        return a == 0x1f && c == 0x8b ? new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16) : b;
    }

    static InputStream open(Path file) throws IOException {
        return maybeGunzip(Files.newInputStream(file));
    }

    /** Reads a pair of image and label IDX files into labelled images. */
    public static LabeledImages readPair(Path images, Path labels, int classes) {
        return pair(read(images), images.toString(), read(labels), labels.toString(), classes);
    }

    /** Combines image and label arrays read from {@code images} and {@code labels}. */
    static LabeledImages pair(Array img, String images, Array lab, String labels, int classes) {
        if (img.shape().length < 2) {
            throw new DataFormatException(images + ": expected an image file of rank >= 2, got rank " + img.shape().length);
        }
        if (lab.shape().length != 1) {
            throw new DataFormatException(labels + ": expected a label file of rank 1, got rank " + lab.shape().length);
        }
        if (img.shape()[0] != lab.shape()[0]) {
            throw new DataFormatException(images + " holds " + img.shape()[0] + " images but " + labels + " holds "
                    + lab.shape()[0] + " labels");
        }
        int features = img.data().length / img.shape()[0];
        int[] y = new int[lab.shape()[0]];
        int max = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.data()[i] & 0xFF;
            max = Math.max(max, y[i]);
        }
        int k = classes > 0 ? classes : max + 1;
        if (max >= k) {
            throw new DataFormatException(labels + ": label " + max + " but the dataset has " + k + " classes");
        }
        return new LabeledImages(images, img.data(), y, features, k);
    }
}
