package org.l2o.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.l2o.api.PluginException;
import org.l2o.api.testkit.ServiceDeclarations;
import org.l2o.runtime.Main;
import org.l2o.runtime.PluginRegistry;

class HazelcastClusterTest {

    @Test
    void providersAreDeclared() {
        ServiceDeclarations.assertAgree(HazelcastCluster.class);
        assertTrue(PluginRegistry.cluster() instanceof HazelcastCluster);
    }

    @Test
    void aMemberJoinsOnlyTheNamedAddressesOnTheBoundInterface() {
        Config c = HazelcastCluster.config("team", "127.0.0.1", 5901, List.of("127.0.0.1:5902"));
        assertEquals("team", c.getClusterName());
        assertFalse(c.getNetworkConfig().getJoin().getMulticastConfig().isEnabled(), "multicast must be off");
        assertEquals(List.of("127.0.0.1:5902"), c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
        assertEquals(List.of("127.0.0.1"), List.copyOf(c.getNetworkConfig().getInterfaces().getInterfaces()));
        assertEquals("false", c.getProperty("hazelcast.socket.bind.any"), "must not listen on every interface");
    }

    /** The record that travels: kind and description through Hazelcast's serialization, no Java serialization. */
    @Test
    void aRemoteRolloutTravelsAsItsKindAndBytes() throws Exception {
        Config c = HazelcastCluster.config("l2o", "127.0.0.1", 5901, List.of());
        InternalSerializationService s = new DefaultSerializationServiceBuilder()
                .setConfig(c.getSerializationConfig()).build();
        byte[] description = {1, 2, 3, -4};
        Data data = s.toData(new RemoteRollout("evaluate-run/1", description));
        RemoteRollout back = s.toObject(data);
        assertTrue(data.totalSize() < 64, "the record should be compact, got " + data.totalSize() + " bytes");
        // not a worker: the task fails with a message that says so, naming no class
        PluginException e = assertThrows(PluginException.class, back::call);
        assertTrue(e.getMessage().contains("l2o worker"), e.getMessage());
        var field = RemoteRollout.class.getDeclaredField("description");
        field.setAccessible(true);
        assertArrayEquals(description, (byte[]) field.get(back));
    }

    @Test
    void badClusterOptionsAreOneLineAndExitCode2() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"evaluate", "--objective", "quadratic", "--optimizer", "sgd:lr=0.1",
            "--cluster", "nowhere", "--out", "target/never"}, Map.of(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), PluginRegistry.discover());
        assertEquals(2, code);
        assertTrue(err.toString().contains("'nowhere' is not HOST:PORT"), err.toString());
        err.getBuffer().setLength(0);
        code = Main.run(new String[] {"worker", "--port", "70000"}, Map.of(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), PluginRegistry.discover());
        assertEquals(2, code);
        assertTrue(err.toString().contains("--port 70000"), err.toString());
        err.getBuffer().setLength(0);
        code = Main.run(new String[] {"worker", "--join", "10.0.0.5:5701,no such host"}, Map.of(),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), PluginRegistry.discover());
        assertEquals(2, code);
        assertTrue(err.toString().contains("--join") && err.toString().contains("'no such host' is not HOST:PORT"),
                err.toString());
    }
}
