package org.l2o.gps;

import java.util.ArrayList;
import java.util.List;
import org.l2o.api.meta.MetaTrainingListener;

/**
 * The sample-trajectory records of one condition's sampling, kept so that conditions sampled on
 * several threads reach the real listener in condition order, as they would on one thread.
 * Confined to one sampling task, then replayed on the loop's thread.
 */
final class SampleLog implements MetaTrainingListener {

    private record Entry(int iteration, int condition, int sample, int step, double cost, double[] features,
                         double[] action) {
    }

    private final List<Entry> entries = new ArrayList<>();

    @Override
    public void sample(int iteration, int condition, int sample, int step, double cost, double[] features,
                       double[] action) {
        entries.add(new Entry(iteration, condition, sample, step, cost, features, action));
    }

    /** Hands every record to {@code listener}, in the order they came. */
    void replayTo(MetaTrainingListener listener) {
        for (Entry e : entries) {
            listener.sample(e.iteration(), e.condition(), e.sample(), e.step(), e.cost(), e.features(), e.action());
        }
    }
}
