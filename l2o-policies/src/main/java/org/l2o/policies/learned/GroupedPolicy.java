package org.l2o.policies.learned;

import java.util.ArrayList;
import java.util.List;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.CoordinateGroup;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.CoordinatewisePolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Separate coordinatewise networks for different coordinate groups (Andrychowicz et al. 2016, the coordinatewise LSTM: the public code's
 * {@code net_assignments}, one net for convolution filters and one for fully connected weights):
 * {@code per-group} gives coordinate group i its own network, {@code weights-and-biases} one network
 * to the groups of rank two or more and one to the vectors. The recurrent state is each network's
 * state over its own coordinates, one after the other; parameters are the networks' in order.
 * Immutable; {@link #bind} assigns coordinates, and only a bound policy steps.
 */
final class GroupedPolicy implements CoordinatewisePolicy {

    /** How coordinate groups map to networks. */
    enum Assignment { PER_GROUP, WEIGHTS_AND_BIASES }

    private final List<CoordinatewisePolicy> nets;
    private final Assignment assignment;
    /** Per network, the sorted coordinates it serves; null until bound. */
    private final int[][] coordinates;

    GroupedPolicy(List<CoordinatewisePolicy> nets, Assignment assignment, int[][] coordinates) {
        this.nets = List.copyOf(nets);
        this.assignment = assignment;
        this.coordinates = coordinates;
    }

    @Override
    public CoordinatewisePolicy bind(ParameterLayout layout) {
        List<List<CoordinateGroup>> served = new ArrayList<>();
        for (int k = 0; k < nets.size(); k++) {
            served.add(new ArrayList<>());
        }
        List<CoordinateGroup> groups = layout.groups();
        if (assignment == Assignment.PER_GROUP) {
            if (groups.size() != nets.size()) {
                throw new ConfigurationException("coordinatewise-policy 'lstm-coordinatewise': networks=per-group was made "
                        + "for " + nets.size() + " coordinate groups (parameter 'groups'), the objective has "
                        + groups.size());
            }
            for (int k = 0; k < groups.size(); k++) {
                served.get(k).add(groups.get(k));
            }
        } else {
            for (CoordinateGroup g : groups) {
                served.get(g.shape().size() >= 2 ? 0 : 1).add(g);
            }
        }
        int[][] coords = new int[nets.size()][];
        for (int k = 0; k < coords.length; k++) {
            int count = served.get(k).stream().mapToInt(CoordinateGroup::size).sum();
            coords[k] = new int[count];
            int i = 0;
            for (CoordinateGroup g : served.get(k)) {
                for (int j = 0, size = g.size(); j < size; j++) {
                    coords[k][i++] = g.offset() + j;
                }
            }
            java.util.Arrays.sort(coords[k]);
        }
        return new GroupedPolicy(nets, assignment, coords);
    }

    private int[][] bound() {
        if (coordinates == null) {
            throw new IllegalStateException("lstm-coordinatewise with separate networks steps only once bound to a "
                    + "parameter layout");
        }
        return coordinates;
    }

    @Override
    public int inputSize() {
        return nets.get(0).inputSize();
    }

    @Override
    public int stateSize() {
        return nets.get(0).stateSize();
    }

    private static final class GroupTape implements Tape {
        final Tape[] parts;
        int steps;

        GroupTape(Tape[] parts) {
            this.parts = parts;
        }

        @Override
        public int steps() {
            return steps;
        }
    }

    @Override
    public Tape newTape(int n) {
        int[][] coords = bound();
        Tape[] parts = new Tape[nets.size()];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = nets.get(k).newTape(coords[k].length);
        }
        return new GroupTape(parts);
    }

    private static double[] gather(double[] from, int[] index) {
        double[] out = new double[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = from[index[i]];
        }
        return out;
    }

    /** Rows of {@code k} feature-major inputs over {@code n} coordinates, restricted to {@code index}. */
    private static double[] gatherRows(double[] from, int k, int n, int[] index) {
        double[] out = new double[k * index.length];
        for (int r = 0; r < k; r++) {
            int src = r * n;
            int dst = r * index.length;
            for (int i = 0; i < index.length; i++) {
                out[dst + i] = from[src + index[i]];
            }
        }
        return out;
    }

    @Override
    public double[] step(double[] inputs, double[] state, double[] next, Tape tape) {
        int[][] coords = bound();
        int ss = stateSize();
        int width = inputSize();
        int total = inputs.length / width;
        double[] out = new double[total];
        int offset = 0;
        for (int k = 0; k < nets.size(); k++) {
            int[] c = coords[k];
            if (c.length == 0) {
                continue;
            }
            int size = c.length * ss;
            double[] s = java.util.Arrays.copyOfRange(state, offset, offset + size);
            double[] n = new double[size];
            double[] dx = nets.get(k).step(gatherRows(inputs, width, total, c), s, n,
                    tape == null ? null : ((GroupTape) tape).parts[k]);
            System.arraycopy(n, 0, next, offset, size);
            for (int i = 0; i < c.length; i++) {
                out[c[i]] = dx[i];
            }
            offset += size;
        }
        if (tape != null) {
            ((GroupTape) tape).steps++;
        }
        return out;
    }

    @Override
    public double[] backward(Tape tape, double[][] outputGradients) {
        int[][] coords = bound();
        GroupTape t = (GroupTape) tape;
        List<double[]> parts = new ArrayList<>();
        for (int k = 0; k < nets.size(); k++) {
            double[] g;
            if (coords[k].length == 0) {
                g = new double[(int) nets.get(k).parameters().length()];
            } else {
                double[][] upstream = new double[outputGradients.length][];
                for (int s = 0; s < upstream.length; s++) {
                    upstream[s] = gather(outputGradients[s], coords[k]);
                }
                g = nets.get(k).backward(t.parts[k], upstream);
            }
            parts.add(g);
        }
        return concat(parts);
    }

    /** The arrays one after the other, in the networks' order. */
    private static double[] concat(List<double[]> parts) {
        double[] all = new double[parts.stream().mapToInt(p -> p.length).sum()];
        int offset = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, all, offset, p.length);
            offset += p.length;
        }
        return all;
    }

    @Override
    public INDArray parameters() {
        List<double[]> parts = new ArrayList<>();
        for (CoordinatewisePolicy net : nets) {
            parts.add(DenseVectors.read(net.parameters()));
        }
        return DenseVectors.of(concat(parts));
    }

    @Override
    public CoordinatewisePolicy withParameters(INDArray parameters) {
        double[] all = DenseVectors.read(parameters);
        List<CoordinatewisePolicy> next = new ArrayList<>();
        int offset = 0;
        for (CoordinatewisePolicy net : nets) {
            int count = (int) net.parameters().length();
            if (offset + count > all.length) {
                throw new IllegalArgumentException("expected more than " + all.length + " parameters");
            }
            next.add(net.withParameters(DenseVectors.of(java.util.Arrays.copyOfRange(all, offset, offset + count))));
            offset += count;
        }
        if (offset != all.length) {
            throw new IllegalArgumentException("expected " + offset + " parameters, got " + all.length);
        }
        return new GroupedPolicy(next, assignment, coordinates);
    }
}
