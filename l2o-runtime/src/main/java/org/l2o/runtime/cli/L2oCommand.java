package org.l2o.runtime.cli;

import picocli.CommandLine.Command;

/** The top-level {@code l2o} command. */
@Command(name = "l2o", mixinStandardHelpOptions = true, versionProvider = L2oCommand.Version.class,
        description = {"Learned optimizers: run, tune and compare optimizers, classic and learned.",
            "Exit codes: 0 success, 2 invalid input (message names it), 1 internal error."},
        subcommands = {DemoCommand.class, PluginsCommand.class, EvaluateCommand.class, TuneCommand.class, TrainCommand.class, ExperimentCommand.class, ReportCommand.class,
            picocli.CommandLine.HelpCommand.class})
public final class L2oCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest, or "dev" in a source build. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"l2o " + org.l2o.api.Versions.of(L2oCommand.class) + " (Java " + Runtime.version()
                    + ")"};
        }
    }
}
