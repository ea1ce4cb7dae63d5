package org.example.dl4japp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Reads the first images of MNIST's IDX files (gzipped or not) as a DL4J data set, pixels in [0, 1]. */
public final class Mnist {

    public static final int PIXELS = 28 * 28;
    public static final int CLASSES = 10;

    private Mnist() {
    }

    public static DataSet read(Path dir, boolean train, int count) throws IOException {
        String prefix = train ? "train" : "t10k";
        float[][] x = new float[count][PIXELS];
        float[][] y = new float[count][CLASSES];
        try (DataInputStream images = open(dir, prefix + "-images-idx3-ubyte");
             DataInputStream labels = open(dir, prefix + "-labels-idx1-ubyte")) {
            expect(images.readInt(), 2051, "images");
            int available = images.readInt();
            images.readInt();
            images.readInt();
            expect(labels.readInt(), 2049, "labels");
            labels.readInt();
            if (count > available) {
                throw new IOException(dir + ": asked for " + count + " images, the file has " + available);
            }
            byte[] pixels = new byte[PIXELS];
            for (int i = 0; i < count; i++) {
                images.readFully(pixels);
                for (int j = 0; j < PIXELS; j++) {
                    x[i][j] = (pixels[j] & 0xff) / 255f;
                }
                y[i][labels.readUnsignedByte()] = 1;
            }
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    private static DataInputStream open(Path dir, String name) throws IOException {
        Path plain = dir.resolve(name);
        Path gz = dir.resolve(name + ".gz");
        InputStream in;
        if (Files.exists(plain)) {
            in = Files.newInputStream(plain);
        } else if (Files.exists(gz)) {
            in = new GZIPInputStream(Files.newInputStream(gz));
        } else {
            throw new IOException(dir + ": neither " + name + " nor " + name + ".gz found");
        }
        return new DataInputStream(new BufferedInputStream(in));
    }

    private static void expect(int magic, int expected, String what) throws IOException {
        if (magic != expected) {
            throw new IOException("not an IDX " + what + " file: magic number " + magic + ", expected " + expected);
        }
    }
}
