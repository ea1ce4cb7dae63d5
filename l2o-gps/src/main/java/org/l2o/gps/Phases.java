package org.l2o.gps;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The phases both GPS trainers time, in the order they run, as the loop reports them. */
final class Phases {

    /** Index of each phase in the trainers' {@code long[]} nanosecond counters. */
    static final int SAMPLING = 0;
    static final int DYNAMICS = 1;
    static final int LQR = 2;
    static final int REGRESSION = 3;

    private static final String[] NAMES = {"sampling", "dynamics", "lqr", "regression"};

    private Phases() {
    }

    /** A fresh counter per phase. */
    static long[] counters() {
        return new long[NAMES.length];
    }

    /** The counters as named durations. */
    static Map<String, Duration> durations(long[] nanos) {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            out.put(NAMES[i], Duration.ofNanos(nanos[i]));
        }
        return out;
    }
}
