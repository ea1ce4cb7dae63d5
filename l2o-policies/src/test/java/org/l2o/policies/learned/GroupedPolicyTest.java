package org.l2o.policies.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DenseVectors;
import org.l2o.api.Seeds;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.testkit.FiniteDifferences;
import org.l2o.api.update.CoordinatewisePolicy;
import org.nd4j.linalg.factory.Nd4j;

class GroupedPolicyTest {

    /** W1 [2 x 2], b1 [2], W2 [2 x 1]: three groups, seven coordinates, one of them a bias run. */
    private static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new CoordinateGroup("W1", 0, List.of(2, 2)), new CoordinateGroup("b1", 4, List.of(2)),
            new CoordinateGroup("W2", 6, List.of(1, 1))));

    private static CoordinatewisePolicy make(Map<String, String> raw, long seed) {
        var p = LstmPolicyTest.PROVIDER;
        return p.create(p.configure(raw), Seeds.generator(seed));
    }

    private static double[][] run(CoordinatewisePolicy net, double[][] gradients) {
        double[] state = new double[gradients[0].length * net.stateSize()];
        double[][] out = new double[gradients.length][];
        for (int t = 0; t < gradients.length; t++) {
            double[] next = new double[state.length];
            out[t] = net.step(gradients[t], state, next, null);
            state = next;
        }
        return out;
    }

    private static final double[][] GRADIENTS = {
        {0.3, -1e-3, 2.0, -0.7, 1e-6, 0.05, -4.0},
        {0.1, -2e-3, 1.0, -0.2, 3e-6, 0.04, -1.0},
        {-0.2, 5e-3, 0.5, 0.3, -1e-5, 0.02, 2.0}};

    @Test
    void eachGroupIsServedByItsOwnNetwork() {
        Map<String, String> grouped = Map.of("layers", "4,3", "networks", "per-group", "groups", "3");
        CoordinatewisePolicy net = make(grouped, 1).bind(LAYOUT);
        double[][] out = run(net, GRADIENTS);
        double[] all = DenseVectors.read(net.parameters());
        int each = all.length / 3;
        int[][] coordinates = {{0, 1, 2, 3}, {4, 5}, {6}};
        for (int k = 0; k < 3; k++) {
            CoordinatewisePolicy alone = LstmPolicyTest.PROVIDER.restore(
                    LstmPolicyTest.PROVIDER.configure(Map.of("layers", "4,3")),
                    DenseVectors.of(java.util.Arrays.copyOfRange(all, k * each, (k + 1) * each)));
            double[][] g = new double[GRADIENTS.length][coordinates[k].length];
            for (int t = 0; t < g.length; t++) {
                for (int i = 0; i < coordinates[k].length; i++) {
                    g[t][i] = GRADIENTS[t][coordinates[k][i]];
                }
            }
            double[][] expected = run(alone, g);
            for (int t = 0; t < g.length; t++) {
                for (int i = 0; i < coordinates[k].length; i++) {
                    assertEquals(expected[t][i], out[t][coordinates[k][i]], 1e-15, "network " + k + " step " + t);
                }
            }
        }
        // different networks really differ
        assertNotEquals(out[0][0], run(make(Map.of("layers", "4,3"), 1), GRADIENTS)[0][4]);
    }

    @Test
    void weightsAndBiasesSplitByRank() {
        CoordinatewisePolicy net = make(Map.of("layers", "3", "networks", "weights-and-biases"), 2).bind(LAYOUT);
        double[] all = DenseVectors.read(net.parameters());
        var config = LstmPolicyTest.PROVIDER.configure(Map.of("layers", "3"));
        CoordinatewisePolicy weights = LstmPolicyTest.PROVIDER.restore(config,
                DenseVectors.of(java.util.Arrays.copyOfRange(all, 0, all.length / 2)));
        double[][] out = run(net, GRADIENTS);
        double[][] w = run(weights, new double[][] {{GRADIENTS[0][0], GRADIENTS[0][6]}});
        assertEquals(w[0][0], out[0][0], 1e-15);
        assertEquals(w[0][1], out[0][6], 1e-15);
    }

    @Test
    void perGroupChecksTheNumberOfGroups() {
        CoordinatewisePolicy net = make(Map.of("layers", "3", "networks", "per-group", "groups", "4"), 3);
        var e = assertThrows(ConfigurationException.class, () -> net.bind(LAYOUT));
        assertTrue(e.getMessage().contains("4 coordinate groups") && e.getMessage().contains("has 3"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> net.step(new double[7], new double[7 * net.stateSize()],
                new double[7 * net.stateSize()], null));
    }

    @Test
    void restoreRoundTripsAndRejectsAWrongCount() {
        var p = LstmPolicyTest.PROVIDER;
        var config = p.configure(Map.of("layers", "3", "networks", "per-group", "groups", "3"));
        CoordinatewisePolicy a = p.create(config, Seeds.generator(4));
        CoordinatewisePolicy b = p.restore(config, a.parameters());
        assertArrayEquals(run(a.bind(LAYOUT), GRADIENTS)[2], run(b.bind(LAYOUT), GRADIENTS)[2], 0.0);
        assertEquals(3 * LstmPolicy.parameterCount(new int[] {3}, true), a.parameters().length());
        assertThrows(org.l2o.api.DataFormatException.class,
                () -> p.restore(config, DenseVectors.of(new double[10])));
    }

    @Test
    void backpropagationThroughTheGroupsMatchesFiniteDifferences() {
        CoordinatewisePolicy net = make(Map.of("layers", "3", "networks", "per-group", "groups", "3",
                "output-scale", "0.3"), 5);
        int steps = 4;
        double[] theta0 = {1.0, -0.5, 0.3, 0.2, -0.1, 0.4, 0.6};
        double[] centre = {0.2, 0.1, -0.4, 0.0, 0.3, -0.2, 0.1};
        double[][] grads = new double[steps][];
        CoordinatewisePolicy bound = net.bind(LAYOUT);
        CoordinatewisePolicy.Tape tape = bound.newTape(7);
        LstmPolicyTest.unrolledLoss(bound, theta0, centre, null, steps, grads, tape);
        assertEquals(steps, tape.steps());
        double[] theta = theta0.clone();
        double[] state = new double[7 * bound.stateSize()];
        double[][] after = new double[steps][7];
        for (int t = 0; t < steps; t++) {
            double[] next = new double[state.length];
            double[] step = bound.step(grads[t], state, next, null);
            state = next;
            for (int j = 0; j < 7; j++) {
                theta[j] += step[j];
                after[t][j] = (j + 1) * (theta[j] - centre[j]);
            }
        }
        double[][] upstream = new double[steps][7];
        for (int t = steps - 1; t >= 0; t--) {
            for (int j = 0; j < 7; j++) {
                upstream[t][j] = after[t][j] + (t + 1 < steps ? upstream[t + 1][j] : 0);
            }
        }
        double[] analytic = bound.backward(tape, upstream);
        FiniteDifferences.check(w -> LstmPolicyTest.unrolledLoss(bound.withParameters(w), theta0, centre, grads, steps,
                null, null), bound.parameters(), Nd4j.createFromArray(analytic), 60, 1e-6, Seeds.generator(6),
                "grouped lstm BPTT");
    }
}
