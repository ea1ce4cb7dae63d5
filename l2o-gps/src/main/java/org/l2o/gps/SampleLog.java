package org.l2o.gps;

import java.io.IOException;
import org.l2o.api.update.RemoteRecords;

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

    /** The records as a remote task's answer carries them. */
    void write(RemoteRecords.Out out) throws IOException {
        out.writeInt(entries.size());
        for (Entry e : entries) {
            out.writeInt(e.iteration());
            out.writeInt(e.condition());
            out.writeInt(e.sample());
            out.writeInt(e.step());
            out.writeDouble(e.cost());
            out.vector(e.features());
            out.vector(e.action());
        }
    }

    static SampleLog read(RemoteRecords.In in) throws IOException {
        SampleLog log = new SampleLog();
        for (int i = in.count(); i > 0; i--) {
            log.entries.add(new Entry(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readDouble(),
                    in.vector(), in.vector()));
        }
        return log;
    }
}
