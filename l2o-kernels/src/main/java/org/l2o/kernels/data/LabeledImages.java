package org.l2o.kernels.data;

import java.util.Objects;

/**
 * Images as unsigned bytes, one row of {@code features} bytes per sample, with integer labels.
 *
 * @param source   where the data came from (file or folder), for messages and provenance
 * @param pixels   {@code count * features} unsigned bytes, row-major
 * @param labels   one label per sample, in {@code [0, classes)}
 * @param features bytes per sample (784 for MNIST, 3072 for CIFAR)
 * @param classes  number of classes
 */
public record LabeledImages(String source, byte[] pixels, int[] labels, int features, int classes) {

    public LabeledImages {
        Objects.requireNonNull(source, "source");
        if (features <= 0 || pixels.length != (long) labels.length * features) {
            throw new IllegalArgumentException(source + ": " + pixels.length + " pixel bytes do not make "
                    + labels.length + " samples of " + features);
        }
        for (int l : labels) {
            if (l < 0 || l >= classes) {
                throw new IllegalArgumentException(source + ": label " + l + " outside [0, " + classes + ")");
            }
        }
    }

    /** Number of samples. */
    public int count() {
        return labels.length;
    }

    /** SHA-256 of the pixels and then the labels (one byte each), in hex: the content, not the files. */
    public String sha256() {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(pixels);
            byte[] l = new byte[labels.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = (byte) labels[i];
            }
            d.update(l);
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
