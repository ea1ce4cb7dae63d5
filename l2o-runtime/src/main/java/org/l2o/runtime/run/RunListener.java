package org.l2o.runtime.run;

/** Progress of a batch of runs: called once per finished run. */
@FunctionalInterface
public interface RunListener {
    void finished(RunResult run, int done, int total);

    RunListener NONE = (r, d, t) -> { };
}
