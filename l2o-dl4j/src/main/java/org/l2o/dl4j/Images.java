package org.l2o.dl4j;

import org.l2o.kernels.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Rows of a dataset l2o reads as a DL4J minibatch: pixels scaled to [0, 1], one-hot labels. */
final class Images {

    private Images() {
    }

    static DataSet rows(LabeledImages images, int[] rows, DataType type) {
        int f = images.features();
        int classes = images.classes();
        double[] flat = new double[rows.length * f];
        double[] onehot = new double[rows.length * classes];
        byte[] pixels = images.pixels();
        for (int i = 0; i < rows.length; i++) {
            int base = rows[i] * f;
            for (int j = 0; j < f; j++) {
                flat[i * f + j] = (pixels[base + j] & 0xFF) / 255.0;
            }
            onehot[i * classes + images.labels()[rows[i]]] = 1;
        }
        return new DataSet(Nd4j.createFromArray(flat).reshape(rows.length, f).castTo(type),
                Nd4j.createFromArray(onehot).reshape(rows.length, classes).castTo(type));
    }
}
