package org.l2o.bptt;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.ConfigurationException;
import org.l2o.api.DenseVectors;
import org.l2o.api.DivergenceException;
import org.l2o.api.Seeds;
import org.l2o.api.meta.CheckpointReader;
import org.l2o.api.meta.CheckpointWriter;
import org.l2o.api.meta.Iteration;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainer;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingLoop;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.Provenance;
import org.l2o.api.meta.TrainerState;
import org.l2o.api.objective.Evaluation;
import org.l2o.api.objective.Objective;
import org.l2o.api.update.CoordinatewiseInputs;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.Observation;
import org.l2o.api.update.Oracle;
import org.l2o.api.update.Rollout;
import org.l2o.kernels.Adam;
import org.l2o.kernels.CoordinatewiseRule;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Truncated BPTT (Andrychowicz et al. 2016, the meta-loss and truncated BPTT): each epoch optimises a training objective for {@code steps} steps from
 * a fresh start, cut into unrolls; after each unroll the meta-loss (summed objective over the
 * unroll's iterates) is backpropagated through the network, with the optimizee gradients as input
 * constants (no second derivatives), and the network takes one Adam step. Iterates and recurrent
 * states carry over between unrolls without gradient. After every period of epochs the network is
 * run on held-out objectives and the best weights are kept. Deterministic under the seed.
 *
 * <p>With a per-coordinate feature map ({@link CoordinatewiseInputs}, e.g. {@code lopt}) the network
 * reads its features instead of the bare gradient; the features are input constants too, like the
 * gradient they are computed from. Any other feature map leaves the gradient as the only input.
 */
final class TruncatedBptt implements MetaTrainer {

    private final Config config;

    TruncatedBptt(Config config) {
        this.config = config;
    }

    /** The network and its Adam state; the request it trains for. */
    private static final class State implements TrainerState {
        final MetaTrainingRequest request;
        CoordinatewisePolicy net;
        Adam adam;

        State(MetaTrainingRequest request, CoordinatewisePolicy net, Adam adam) {
            this.request = request;
            this.net = net;
            this.adam = adam;
        }

        @Override
        public void write(CheckpointWriter out) {
            out.section("bptt").vector(net.parameters().toDoubleVector()).vector(adam.m()).vector(adam.v())
                    .longValue(adam.t());
        }
    }

    @Override
    public int iterations() {
        return config.getInt("iterations");
    }

    @Override
    public String divergenceAdvice() {
        return "try a smaller lr or output-scale";
    }

    /** The per-coordinate inputs the request's feature map gives, or null: the gradient alone. */
    private static CoordinatewiseInputs inputs(MetaTrainingRequest request) {
        return request.features().map() instanceof CoordinatewiseInputs ci ? ci : null;
    }

    /** The network must read what this trainer feeds it (one line, before any work, where it does not). */
    private static CoordinatewisePolicy checked(CoordinatewisePolicy net, MetaTrainingRequest request) {
        CoordinatewiseInputs inputs = inputs(request);
        int given = inputs == null ? 1 : inputs.size();
        if (net.inputSize() != given) {
            throw new ConfigurationException("trainer 'bptt': policy '" + request.policy().id() + "' takes "
                    + net.inputSize() + " inputs per coordinate, feature map '" + request.features().id() + "' gives "
                    + (inputs == null ? "none (the gradient is 1)" : given));
        }
        return net;
    }

    @Override
    public TrainerState start(MetaTrainingRequest request, MetaTrainingListener listener) {
        CoordinatewisePolicyProvider provider = request.policy().as(CoordinatewisePolicyProvider.class, "bptt");
        CoordinatewisePolicy net = checked(provider.create(request.policy().config(),
                Seeds.generator(request.seed(), "bptt-init", 0)), request);
        return new State(request, net, Adam.fresh((int) net.parameters().length()));
    }

    @Override
    public TrainerState restore(MetaTrainingRequest request, CheckpointReader in) {
        CoordinatewisePolicyProvider provider = request.policy().as(CoordinatewisePolicyProvider.class, "bptt");
        in.section("bptt");
        CoordinatewisePolicy net = checked(provider.restore(request.policy().config(),
                Nd4j.createFromArray(in.vector())), request);
        return new State(request, net, new Adam(in.vector(), in.vector(), in.longValue()));
    }

    @Override
    public Iteration iterate(TrainerState trainerState, int it, MetaTrainingListener listener) {
        State st = (State) trainerState;
        MetaTrainingRequest request = st.request;
        int epochs = config.getInt("epochs-per-iteration");
        int unroll = Math.min(config.getInt("unroll"), request.steps());
        double lr = config.getDouble("lr");
        double clip = config.getDouble("clip");
        boolean trueLoss = config.getString("meta-loss").equals("true");
        int steps = request.steps();
        int validation = config.getInt("validation-objectives");
        CoordinatewisePolicy net = st.net;
        Adam adam = st.adam;
        CoordinatewiseInputs inputs = inputs(request);
        long began = System.nanoTime();
        double lossSum = 0;
        int lossCount = 0;
        for (int e = 0; e < epochs; e++) {
            int epoch = it * epochs + e;
            Objective f = request.family().train(request.seed(), epoch % request.trainObjectives());
            RandomGenerator batches = Seeds.generator(request.seed(), "bptt-minibatch", epoch);
            double[] theta = DenseVectors.read(f.initialPoint(Seeds.generator(request.seed(), "bptt-start", epoch)));
            int n = theta.length;
            double[] state = new double[n * net.stateSize()];
            CoordinatewiseInputs.Track track = inputs == null ? null : inputs.start(f.layout());
            INDArray at = DenseVectors.of(theta);
            Evaluation seen = f.estimate(at, batches);
            for (int u = 0; u < steps; u += unroll) {
                int len = Math.min(unroll, steps - u);
                CoordinatewisePolicy bound = net.bind(f.layout());
                CoordinatewisePolicy.Tape tape = bound.newTape(n);
                double[][] lossGrad = new double[len][];
                double unrollLoss = 0;
                for (int t = 0; t < len; t++) {
                    double[] next = new double[state.length];
                    // extra evaluations a feature map asks for run on the step's minibatch stream
                    double[] in = track == null ? DenseVectors.read(seen.gradient())
                            : track.push(new Observation(u + t, at, seen.value(), seen.gradient(),
                                    Oracle.uncounted(x -> f.estimate(x, batches))));
                    double[] dx = bound.step(in, state, next, tape);
                    state = next;
                    for (int j = 0; j < n; j++) {
                        theta[j] += dx[j];
                    }
                    INDArray point = DenseVectors.of(theta);
                    at = point;
                    seen = f.estimate(point, batches);
                    Evaluation loss = trueLoss && f.stochastic() ? f.evaluate(point) : seen;
                    if (!Double.isFinite(loss.value())) {
                        throw new DivergenceException("bptt: the objective became non-finite in epoch " + epoch
                                + "; " + divergenceAdvice());
                    }
                    unrollLoss += loss.value();
                    lossGrad[t] = DenseVectors.read(loss.gradient());
                }
                // dL/dstep_t = sum_{s >= t} grad f(theta_{s+1}): the step moves every later iterate
                double[][] upstream = new double[len][n];
                for (int t = len - 1; t >= 0; t--) {
                    for (int j = 0; j < n; j++) {
                        upstream[t][j] = lossGrad[t][j] + (t + 1 < len ? upstream[t + 1][j] : 0);
                    }
                }
                double[] g = bound.backward(tape, upstream);
                if (clip > 0) {
                    double norm = 0;
                    for (double x : g) {
                        norm += x * x;
                    }
                    norm = Math.sqrt(norm);
                    if (norm > clip) {
                        for (int i = 0; i < g.length; i++) {
                            g[i] *= clip / norm;
                        }
                    }
                }
                double[] w = net.parameters().toDoubleVector();
                adam = adam.step(w, g, lr);
                net = net.withParameters(Nd4j.createFromArray(w));
                lossSum += unrollLoss / len;
                lossCount++;
            }
        }
        Duration training = Duration.ofNanos(System.nanoTime() - began);
        st.net = net;
        st.adam = adam;
        double trainLoss = lossSum / lossCount;
        long validating = System.nanoTime();
        double validationCost = validation == 0 ? Double.NaN : validate(net, request, validation);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_loss", trainLoss);
        metrics.put("validation_cost", validationCost);
        metrics.put(MetaTrainingLoop.INNER_STEPS, (double) ((long) epochs * steps + (long) validation * steps));
        return new Iteration(st, learned(request, net.parameters().toDoubleVector()), trainLoss,
                validation == 0 ? trainLoss : validationCost, metrics,
                Map.of("training", training, "validation", Duration.ofNanos(System.nanoTime() - validating)));
    }

    /** Mean true objective over steps 1..T on the request's validation objectives (never test objectives). */
    private static double validate(CoordinatewisePolicy net, MetaTrainingRequest request, int count) {
        double total = 0;
        CoordinatewiseInputs inputs = inputs(request);
        CoordinatewiseRule rule = inputs == null ? new CoordinatewiseRule("bptt", net)
                : new CoordinatewiseRule("bptt", net, inputs);
        for (int i = 0; i < count; i++) {
            Objective f = request.validationObjective(i);
            Rollout.Result r = Rollout.run(f, rule, f.initialPoint(Seeds.generator(request.seed(), "bptt-start-val", i)),
                    request.steps(), Seeds.generator(request.seed(), "bptt-minibatch-val", i));
            if (r.stoppedEarly(request.steps())) {
                return Double.POSITIVE_INFINITY;
            }
            double s = 0;
            for (int t = 1; t <= request.steps(); t++) {
                s += r.values()[t];
            }
            total += s / request.steps();
        }
        return total / count;
    }

    private LearnedOptimizer learned(MetaTrainingRequest request, double[] weights) {
        Provenance p = Provenance.now("bptt", config.text(), request, TruncatedBptt.class);
        int n = request.family().train(request.seed(), 0).dimension();
        CoordinatewiseInputs inputs = inputs(request);
        return new LearnedOptimizer(request.policy().id(), request.policy().config().text(),
                inputs == null ? "none" : request.features().id(),
                inputs == null ? Map.of() : request.features().config().text(), inputs == null ? 1 : inputs.size(), n,
                Map.of("parameters", Nd4j.createFromArray(weights.clone())), p);
    }
}
