package org.l2o.runtime.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options that select an objective family and where its data comes from. */
public final class ObjectiveOptions {

    @Option(names = "--objective", required = true, paramLabel = "ID",
            description = "objective family id (see 'l2o plugins')")
    String objective;

    @Option(names = {"--param", "-p"}, paramLabel = "KEY=VALUE",
            description = "objective parameter (repeatable), e.g. --param dataset=mnist")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "folder holding datasets (default: $L2O_DATA, then the embedded MNIST subsets)")
    Path dataDir;
}
