package org.l2o.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.l2o.api.Versions;
import org.l2o.api.meta.Environment;
import org.l2o.runtime.PluginRegistry;
import org.l2o.runtime.remote.ClusterProvider;
import org.l2o.runtime.remote.ClusterRollouts;

/**
 * l2o on Hazelcast: workers are members that run rollouts on their executor service; a driver is
 * a lite member (it holds no data) that sends them {@link RemoteRollout}s. Members join by TCP/IP
 * to the addresses given, never by multicast, bind to the address given (loopback by default) and
 * only join members of the same cluster name.
 */
public final class HazelcastCluster implements ClusterProvider {

    /** The executor service workers run rollouts on. */
    static final String EXECUTOR = "l2o-rollouts";
    /** Member attributes: what a member is and how many rollouts it runs at once. */
    static final String ROLE = "l2o.role";
    static final String SLOTS = "l2o.slots";
    static final String NUMERICS = "l2o.numerics";
    static final String WORKER = "worker";

    // JUL forgets the level of a logger nobody references
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    @Override
    public ClusterRollouts connect(List<String> members, String name, String bind, int threads,
                                   PluginRegistry registry) {
        Config config = config(name, bind, 5801, members);
        config.setLiteMember(true);
        config.getMemberAttributeConfig().setAttribute(ROLE, "driver");
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        return new HazelcastRollouts(hz, name, threads);
    }

    /**
     * What a run's last bits depend on besides its description: l2o's version, the vectorised steps,
     * ND4J's precision, the BLAS core type and thread count. A driver uses only workers that agree.
     */
    static String numerics() {
        Map<String, String> env = Environment.current();
        return "l2o " + Versions.of(PluginRegistry.class) + ", simd " + env.get("simd") + ", precision "
                + env.get("nd4j.default-precision") + ", blas " + env.get("blas.coretype") + ", omp "
                + env.get("omp.threads");
    }

    /**
     * A member's configuration: cluster {@code name}, bound to {@code bind} on {@code port} or the
     * next free port above it, joining {@code members} by TCP/IP.
     */
    static Config config(String name, String bind, int port, List<String> members) {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        Config config = new Config();
        config.setClusterName(name);
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        // the driver leaves when the command ends: tell the workers at once
        config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(true).setPortCount(100);
        network.getInterfaces().setEnabled(true).addInterface(bind);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        config.getSerializationConfig().addDataSerializableFactory(RemoteRollout.FACTORY,
                id -> id == RemoteRollout.ID ? new RemoteRollout() : null);
        return config;
    }
}
