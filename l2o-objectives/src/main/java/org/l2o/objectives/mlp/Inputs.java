package org.l2o.objectives.mlp;

import java.lang.ref.SoftReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.l2o.api.Seeds;
import org.l2o.objectives.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Inputs and one-hot targets prepared for an MLP: pixels scaled to [0, 1], or randomly projected
 * to k dimensions and standardised to zero mean and unit variance per dimension (the 48-dimensional
 * MNIST of spec section 2.5). Prepared inputs are cached (softly) so that every objective sampled
 * from one family, and every family on the same data, shares one copy.
 *
 * @param x       inputs, {@code [n, inputs]}, double, row-major
 * @param targets one-hot labels, {@code [n, classes]}
 * @param source  where the data came from
 */
record Inputs(INDArray x, INDArray targets, String source) {

    private static final Map<String, SoftReference<Inputs>> CACHE = new ConcurrentHashMap<>();
    private static final int CHUNK = 8192;

    int count() {
        return (int) x.rows();
    }

    int features() {
        return (int) x.columns();
    }

    int classes() {
        return (int) targets.columns();
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
            projection = Nd4j.createFromArray(p).reshape('c', f, project);
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
            INDArray raw = Nd4j.createFromArray(chunk).reshape('c', end - start, f);
            INDArray rows = projection == null ? raw : raw.mmul(projection);
            x.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(rows);
        }
        if (projection != null) {
            INDArray mean = x.mean(0);
            INDArray std = x.std(false, 0);
            std.addi(1e-12);
            x.subiRowVector(mean).diviRowVector(std);
        }
        INDArray targets = Nd4j.create(DataType.DOUBLE, n, data.classes());
        int[] labels = data.labels();
        for (int i = 0; i < n; i++) {
            targets.putScalar(i, labels[i], 1.0);
        }
        return new Inputs(x, targets, data.source());
    }

    /** The rows {@code index} as a new input set. */
    Inputs rows(int[] index) {
        return new Inputs(x.getRows(index), targets.getRows(index), source);
    }
}
