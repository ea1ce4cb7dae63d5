package org.l2o.gps;

import java.util.List;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DenseVectors;
import org.l2o.api.objective.Objective;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Oracle;
import org.l2o.kernels.Lm2017History;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What each coordinate's GPS state holds in coordinate-group GPS, rows {@code [size, n]}
 * feature-major, of which the first {@link #policyInputs()} rows are what the policy reads. Two
 * kinds: the 2017 state {@code [Psi; Phi]} (the observation features and the {@code 3H + 1} state
 * features of Li & Malik 2017, sec. 3.2), and for any other per-coordinate feature map (such as
 * {@code lopt}) the map's own channels, whose accumulators already carry the history, so the state
 * is exactly the policy's input. Immutable.
 */
sealed interface GroupStates {

    /** Rows per coordinate. */
    int size();

    /** The leading rows the policy reads. */
    int policyInputs();

    /** Names of the rows, for the initial controller's {@code init-input}. */
    List<String> rows();

    /** A fresh history for one trajectory on {@code f}. */
    Run start(Objective f);

    /** The row the initial controllers' step follows: {@code init-input}, or the kind's default. */
    default int initialInput(String name) {
        String wanted = name.equals("auto") ? defaultInitialInput() : name;
        int row = rows().indexOf(wanted);
        if (row < 0 || row >= policyInputs()) {
            throw new ConfigurationException("trainer 'gps-groups': init-input '" + wanted + "' is not an input of "
                    + "the policy (inputs: " + String.join(", ", rows().subList(0, policyInputs())) + ")");
        }
        return row;
    }

    String defaultInitialInput();

    /**
     * The rows that form the GPS state, which the controllers act on and the dynamics and cost are
     * fitted over; the policy still reads its inputs from every row.
     */
    int[] control(int initialInput);

    /** One trajectory's history. */
    interface Run {
        /** Adds step t's observation and writes the state of every coordinate into {@code into}. */
        void push(int t, double value, INDArray gradient, double[] x, INDArray point, double[] into);
    }

    static GroupStates of(String featureMap, CoordinatewiseInputs inputs, int history, int stride) {
        return featureMap.equals("lm2017") ? new Lm2017(history, stride) : new Inputs(inputs);
    }

    /** The 2017 state: Psi, then Phi. */
    record Lm2017(int history, int stride) implements GroupStates {

        @Override
        public int size() {
            return Lm2017History.OBSERVATION_SIZE + 3 * history + 1;
        }

        @Override
        public int policyInputs() {
            return Lm2017History.OBSERVATION_SIZE;
        }

        @Override
        public List<String> rows() {
            List<String> out = new java.util.ArrayList<>(List.of("psi0", "psi1", "psi2"));
            for (int r = 0; r < 3 * history + 1; r++) {
                out.add("phi" + r);
            }
            return out;
        }

        /** Psi row 1: the normalised observed gradient. */
        @Override
        public String defaultInitialInput() {
            return "psi1";
        }

        /** All of Psi and Phi, as Li & Malik 2017. */
        @Override
        public int[] control(int initialInput) {
            return java.util.stream.IntStream.range(0, size()).toArray();
        }

        @Override
        public Run start(Objective f) {
            int n = f.dimension();
            Lm2017History h = new Lm2017History(n, history, stride, true);
            return (t, value, gradient, x, point, into) -> {
                h.push(value, DenseVectors.read(gradient), x);
                h.observation(into, 0);
                h.state(into, Lm2017History.OBSERVATION_SIZE * n);
            };
        }
    }

    /** A feature map's channels, all of them read by the policy. */
    record Inputs(CoordinatewiseInputs inputs) implements GroupStates {

        @Override
        public int size() {
            return inputs.size();
        }

        @Override
        public int policyInputs() {
            return inputs.size();
        }

        @Override
        public List<String> rows() {
            return inputs.channels();
        }

        /**
         * The heavy ball where the map gives one (lopt gives it only for a policy whose nominal term is
         * momentum), else AdaGrad's direction: the initial controllers are the tuned nominal rule.
         */
        @Override
        public String defaultInitialInput() {
            for (String c : List.of("raw.momentum", "raw.adagrad", "raw.adam", "g")) {
                if (rows().contains(c)) {
                    return c;
                }
            }
            throw new ConfigurationException("trainer 'gps-groups': set init-input to the channel the initial "
                    + "controllers' step follows (channels: " + String.join(", ", rows()) + ")");
        }

        /**
         * The channels that differ between coordinates on a common scale, plus the initial input:
         * {@code time@*} channels are the same for every coordinate at a step (the controllers are
         * time-varying already), and {@code raw.*} channels carry the gradient's or the parameters'
         * absolute scale, on which a linear controller fitted at one scale runs away at another
         * (a gain on {@code raw.parameter-rms} grows the parameters that grow the step).
         */
        @Override
        public int[] control(int initialInput) {
            List<String> names = rows();
            return java.util.stream.IntStream.range(0, names.size()).filter(r -> r == initialInput
                    || !(names.get(r).startsWith("time@") || names.get(r).startsWith("raw."))).toArray();
        }

        @Override
        public Run start(Objective f) {
            CoordinatewiseInputs.Track track = inputs.start(f.layout());
            Oracle oracle = Oracle.uncounted(f::evaluate);
            return (t, value, gradient, x, point, into) -> {
                double[] in = track.push(new Observation(t, point, value, gradient, oracle));
                System.arraycopy(in, 0, into, 0, in.length);
            };
        }
    }
}
