package org.l2o.objectives.mlp;

import java.lang.ref.SoftReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.l2o.api.DenseVectors;
import org.l2o.api.Seeds;
import org.l2o.kernels.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Inputs and one-hot targets prepared for an MLP: pixels scaled to [0, 1], or randomly projected
 * to k dimensions and standardised to zero mean and unit variance per dimension (the 48-dimensional
 * MNIST of Li & Malik 2017, meta-training). Prepared inputs are cached (softly) so that every objective sampled
 * from one family, and every family on the same data, shares one copy.
 */
final class Inputs {

    private final INDArray x;
    private final int[] labels;
    private final int classes;
    private final String source;
    private volatile INDArray single;

    Inputs(INDArray x, int[] labels, int classes, String source) {
        // Pass gathers rows with bulk copies from the start of the buffer: keep it dense, row-major
        this.x = x.ordering() == 'c' && x.offset() == 0 && !x.isView() ? x : x.dup('c');
        this.labels = labels;
        this.classes = classes;
        this.source = source;
    }

    /** Inputs, {@code [n, features]}, double, row-major. */
    INDArray x() {
        return x;
    }

    /** The inputs in single precision, made on first use. */
    INDArray single() {
        INDArray s = single;
        if (s == null) {
            synchronized (this) {
                s = single;
                if (s == null) {
                    s = x.castTo(DataType.FLOAT).dup('c');
                    single = s;
                }
            }
        }
        return s;
    }

    /** Class label per row. */
    int[] labels() {
        return labels;
    }

    String source() {
        return source;
    }

    private static final Map<String, SoftReference<Inputs>> CACHE = new ConcurrentHashMap<>();
    private static final int CHUNK = 8192;

    int count() {
        return (int) x.rows();
    }

    int features() {
        return (int) x.columns();
    }

    int classes() {
        return classes;
    }

    static Inputs prepare(LabeledImages data, int project, long projectionSeed, String cacheKey) {
        String key = cacheKey + "|" + project + "|" + projectionSeed;
        SoftReference<Inputs> ref = CACHE.get(key);
        Inputs cached = ref == null ? null : ref.get();
        if (cached != null) {
            return cached;
        }
        Inputs made = build(data, project, projectionSeed);
        CACHE.put(key, new SoftReference<>(made));
        return made;
    }

    private static Inputs build(LabeledImages data, int project, long projectionSeed) {
        int n = data.count();
        int f = data.features();
        INDArray projection = null;
        if (project > 0) {
            // Gaussian random projection; its scale is irrelevant since columns are standardised after.
            RandomGenerator r = Seeds.generator(projectionSeed, "projection", 0);
            double[] p = new double[f * project];
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextGaussian();
            }
            projection = DenseVectors.of(p).reshape('c', f, project); // bulk copy, not one put per value
        }
        int width = project > 0 ? project : f;
        INDArray x = Nd4j.create(DataType.DOUBLE, n, width);
        byte[] pixels = data.pixels();
        for (int start = 0; start < n; start += CHUNK) {
            int end = Math.min(n, start + CHUNK);
            double[] chunk = new double[(end - start) * f];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (pixels[start * f + i] & 0xFF) / 255.0;
            }
            INDArray raw = DenseVectors.of(chunk).reshape('c', end - start, f);
            INDArray rows = projection == null ? raw : raw.mmul(projection);
            x.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(rows);
        }
        if (projection != null) {
            INDArray mean = x.mean(0);
            INDArray std = x.std(false, 0);
            std.addi(1e-12);
            x.subiRowVector(mean).diviRowVector(std);
        }
        return new Inputs(x, data.labels().clone(), data.classes(), data.source());
    }

    /** The rows {@code index} as a new input set. */
    Inputs rows(int[] index) {
        int[] picked = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            picked[i] = labels[index[i]];
        }
        return new Inputs(x.getRows(index), picked, classes, source);
    }
}
