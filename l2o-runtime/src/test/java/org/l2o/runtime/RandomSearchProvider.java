package org.l2o.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.Seeds;
import org.l2o.api.meta.CheckpointReader;
import org.l2o.api.meta.CheckpointWriter;
import org.l2o.api.meta.Iteration;
import org.l2o.api.meta.LearnedOptimizer;
import org.l2o.api.meta.MetaTrainer;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.meta.Provenance;
import org.l2o.api.objective.Objective;
import org.l2o.api.update.CoordinatewisePolicy;
import org.l2o.api.update.CoordinatewisePolicyProvider;
import org.l2o.api.update.PolicyCapability;
import org.l2o.api.update.Rollout;
import org.l2o.api.update.UpdateRule;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The meta-trainer of the guide "add a meta-trainer" (docs/guides/add-a-meta-trainer.md): antithetic
 * random search on the weights of a coordinatewise policy. Each iteration draws one direction,
 * scores the policy moved both ways by its summed loss on a few training objectives, and keeps the
 * better of the three. It holds the mathematics only; the loop, checkpoints, validation ranking
 * and files come from the platform.
 */
public final class RandomSearchProvider implements MetaTrainerProvider {

    @Override
    public String id() {
        return "random-search";
    }

    @Override
    public String description() {
        return "antithetic random search on the weights of a coordinatewise policy (example trainer)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.integer("iterations", 10, "search iterations").range(1, 1_000_000),
                ParameterSpec.real("sigma", 0.05, "size of a perturbation, relative to the weights' RMS").positive());
    }

    @Override
    public String defaultPolicy() {
        return "lstm-coordinatewise:layers=8,preprocess=none,output-scale=0.1";
    }

    @Override
    public String defaultFeatures() {
        return "lm2016";
    }

    @Override
    public Set<PolicyCapability> requiredCapabilities() {
        return Set.of(PolicyCapability.COORDINATEWISE);
    }

    @Override
    public MetaTrainer create(Config config, CreationContext context) {
        return new Search(config);
    }

    /** The weights searched so far and the request they are searched for. */
    private static final class State implements org.l2o.api.meta.TrainerState {
        final MetaTrainingRequest request;
        double[] weights;

        State(MetaTrainingRequest request, double[] weights) {
            this.request = request;
            this.weights = weights;
        }

        @Override
        public void write(CheckpointWriter out) {
            out.section("random-search").vector(weights);
        }
    }

    private static final class Search implements MetaTrainer {
        private final Config config;

        Search(Config config) {
            this.config = config;
        }

        @Override
        public int iterations() {
            return config.getInt("iterations");
        }

        private static CoordinatewisePolicyProvider policies(MetaTrainingRequest request) {
            return request.policy().as(CoordinatewisePolicyProvider.class, "random-search");
        }

        @Override
        public org.l2o.api.meta.TrainerState start(MetaTrainingRequest request, MetaTrainingListener listener) {
            CoordinatewisePolicy net = policies(request).create(request.policy().config(),
                    Seeds.generator(request.seed(), "random-search-init", 0));
            return new State(request, net.parameters().toDoubleVector());
        }

        @Override
        public org.l2o.api.meta.TrainerState restore(MetaTrainingRequest request, CheckpointReader in) {
            return new State(request, in.section("random-search").vector());
        }

        @Override
        public Iteration iterate(org.l2o.api.meta.TrainerState state, int iteration, MetaTrainingListener listener) {
            State st = (State) state;
            long began = System.nanoTime();
            RandomGenerator random = Seeds.generator(st.request.seed(), "random-search-direction", iteration);
            double rms = 0;
            for (double w : st.weights) {
                rms += w * w / st.weights.length;
            }
            double scale = config.getDouble("sigma") * Math.sqrt(rms);
            double[] plus = st.weights.clone();
            double[] minus = st.weights.clone();
            for (int i = 0; i < plus.length; i++) {
                double d = scale * random.nextGaussian();
                plus[i] += d;
                minus[i] -= d;
            }
            double here = loss(st.request, st.weights);
            double up = loss(st.request, plus);
            double down = loss(st.request, minus);
            double best = Math.min(here, Math.min(up, down));
            st.weights = best == here ? st.weights : best == up ? plus : minus;
            return new Iteration(st, learned(st.request, st.weights), best, best,
                    Map.of("loss", best, "loss_plus", up, "loss_minus", down),
                    Map.of("rollouts", Duration.ofNanos(System.nanoTime() - began)));
        }

        /** Mean true objective over the horizon on the first training objectives; infinite if a run diverges. */
        private double loss(MetaTrainingRequest request, double[] weights) {
            UpdateRule rule = policies(request).rule("candidate", learned(request, weights), Optional.empty());
            int objectives = Math.min(3, request.trainObjectives());
            double total = 0;
            for (int i = 0; i < objectives; i++) {
                Objective f = request.family().train(request.seed(), i);
                Rollout.Result r = Rollout.run(f, rule, f.initialPoint(Seeds.generator(request.seed(), "rs-start", i)),
                        request.steps(), Seeds.generator(request.seed(), "rs-minibatch", i));
                if (r.stoppedEarly(request.steps())) {
                    return Double.POSITIVE_INFINITY;
                }
                for (int t = 1; t <= request.steps(); t++) {
                    total += r.values()[t] / request.steps() / objectives;
                }
            }
            return total;
        }

        private LearnedOptimizer learned(MetaTrainingRequest request, double[] weights) {
            // the LSTM reads the gradient itself: the learned file names no feature map
            return new LearnedOptimizer(request.policy().id(), request.policy().config().text(), "none", Map.of(), 1,
                    request.family().train(request.seed(), 0).dimension(),
                    Map.of("parameters", Nd4j.createFromArray(weights.clone())),
                    Provenance.now("random-search", config.text(), request, RandomSearchProvider.class));
        }
    }
}
