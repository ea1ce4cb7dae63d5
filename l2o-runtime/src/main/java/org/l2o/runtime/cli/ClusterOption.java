package org.l2o.runtime.cli;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.l2o.api.ConfigurationException;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.remote.ClusterRollouts;
import org.l2o.runtime.run.OpenRollouts;
import picocli.CommandLine.Option;

/** {@code --cluster HOST:PORT,...} and {@code --cluster-name NAME}: rollouts on workers too. */
public final class ClusterOption {

    @Option(names = "--cluster", paramLabel = "HOST:PORT,...",
            description = "also run rollouts on the l2o workers there ('l2o worker'); results are the same")
    String members;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "l2o",
            description = "only workers started with this name are used (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--cluster-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address this machine listens on for the workers; another machine's workers need this "
                    + "machine's address on their network (default: ${DEFAULT-VALUE})")
    String bind;

    /** Checks the options before any work starts. */
    void validate() {
        if (members != null) {
            members();
        }
        if (name.isBlank()) {
            throw new ConfigurationException("--cluster-name must not be empty");
        }
    }

    /** The workers named, checked for form. */
    List<String> members() {
        return members("--cluster", members);
    }

    /**
     * A comma-separated list of {@code HOST:PORT} given to {@code option}, checked for form (one
     * line naming the option and the entry otherwise).
     */
    public static List<String> members(String option, String value) {
        List<String> list = Arrays.stream(value.split(",")).map(String::strip).filter(m -> !m.isEmpty()).toList();
        for (String m : list) {
            int colon = m.lastIndexOf(':');
            if (colon <= 0 || !m.substring(colon + 1).matches("\\d{1,5}") || m.substring(0, colon).contains(" ")) {
                throw new ConfigurationException(option + " " + value + ": '" + m + "' is not HOST:PORT");
            }
        }
        if (list.isEmpty()) {
            throw new ConfigurationException(option + ": no HOST:PORT given");
        }
        return list;
    }

    /** This JVM's threads, plus the cluster's workers where {@code --cluster} is given. */
    OpenRollouts open(ThreadsOption threads, PluginRegistry registry, Console console, boolean quiet) {
        if (members == null) {
            return threads.open();
        }
        ClusterRollouts c = PluginRegistry.cluster().connect(members(), name, bind, threads.threads, registry);
        if (!quiet) {
            console.err().println(c.describe());
            console.err().flush();
        }
        return new OpenRollouts() {
            @Override
            public int parallelism() {
                return c.parallelism();
            }

            @Override
            public <T> List<T> invokeAll(List<? extends Callable<T>> tasks, Consumer<T> inOrder) {
                return c.invokeAll(tasks, inOrder);
            }

            @Override
            public void close() {
                if (!quiet) {
                    console.err().println("cluster: " + c.remoteRuns() + " run(s) on workers");
                    console.err().flush();
                }
                c.close();
            }
        };
    }
}
