package org.l2o.runtime.cli;

import org.l2o.runtime.run.ThreadedRollouts;
import picocli.CommandLine.Option;

/** {@code --threads N}: how many rollouts run at once; results do not depend on it. */
public final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N",
            description = "rollouts run at once, each single-threaded (default: the number of processors); results "
                    + "are the same for any N")
    int threads = ThreadedRollouts.defaultThreads();

    /** A pool of that many threads; close it when the command ends. */
    ThreadedRollouts open() {
        return new ThreadedRollouts(threads);
    }
}
