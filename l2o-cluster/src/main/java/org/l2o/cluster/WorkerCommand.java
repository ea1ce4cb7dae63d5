package org.l2o.cluster;

import com.google.inject.Inject;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.l2o.api.ConfigurationException;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.cli.ClusterOption;
import org.l2o.runtime.cli.Console;
import org.l2o.runtime.remote.RemoteTasks;
import org.l2o.runtime.run.ThreadedRollouts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code l2o worker}: a cluster member that runs the rollouts drivers ({@code --cluster}) send it,
 * with this distribution's plugins, until it is stopped.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run rollouts for drivers on other machines ('--cluster HOST:PORT' on evaluate) until stopped.",
            "Binds to loopback unless --bind says otherwise; only drivers with the same --cluster-name are served."})
public final class WorkerCommand implements Callable<Integer> {

    private final PluginRegistry registry;
    private final Console console;

    @Option(names = "--port", defaultValue = "5701", paramLabel = "P",
            description = "port to listen on, or the next free one above it (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "address to listen on; other machines need this machine's address on a private network "
                    + "(default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--join", paramLabel = "HOST:PORT,...", description = "other workers to form the cluster with")
    String join;

    @Option(names = "--cluster-name", defaultValue = "l2o", paramLabel = "NAME",
            description = "members with another name are refused (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--threads", paramLabel = "N",
            description = "rollouts run at once, each single-threaded (default: the number of processors)")
    int threads = ThreadedRollouts.defaultThreads();

    @Inject
    WorkerCommand(PluginRegistry registry, Console console) {
        this.registry = registry;
        this.console = console;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (threads < 1) {
            throw new ConfigurationException("--threads must be a positive integer, got " + threads);
        }
        if (port < 1 || port > 65535) {
            throw new ConfigurationException("--port " + port + ": not a port number");
        }
        List<String> members = join == null ? List.of() : ClusterOption.members("--join", join);
        Worker.serve(RemoteTasks.of(registry));
        Config config = HazelcastCluster.config(name, bind, port, members);
        config.getMemberAttributeConfig().setAttribute(HazelcastCluster.ROLE, HazelcastCluster.WORKER);
        config.getMemberAttributeConfig().setAttribute(HazelcastCluster.SLOTS, Integer.toString(threads));
        config.getMemberAttributeConfig().setAttribute(HazelcastCluster.NUMERICS, HazelcastCluster.numerics());
        config.getExecutorConfig(HazelcastCluster.EXECUTOR).setPoolSize(threads);
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        CountDownLatch stopped = new CountDownLatch(1);
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                stopped.countDown();
            }
        });
        var address = hz.getCluster().getLocalMember().getAddress();
        console.out().println("l2o worker at " + address.getHost() + ":" + address.getPort() + " in cluster '" + name
                + "', " + threads + " slot(s); " + hz.getCluster().getMembers().size()
                + " member(s) now. Ctrl-C stops it.");
        console.out().flush();
        stopped.await();
        return 0;
    }
}
