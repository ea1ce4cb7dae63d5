package org.l2o.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.meta.MetaTrainerProvider;
import org.l2o.api.meta.MetaTrainingListener;
import org.l2o.api.meta.MetaTrainingRequest;
import org.l2o.api.objective.ObjectiveFamily;
import org.l2o.api.objective.ObjectiveProvider;
import org.l2o.api.update.FeatureMapProvider;
import org.l2o.api.update.PolicyProvider;

/**
 * Where a GPS iteration spends its time: runs guided policy search on the 2016 logistic-regression
 * setting (90 training objectives, 20 samples of 40 steps, the {@code mlp} policy on {@code
 * lm2016} features) for a few iterations and reports each iteration's sampling, dynamics fitting,
 * LQR and policy-regression seconds as the trainer measures them. A single timed run rather than a
 * JMH benchmark: one iteration takes seconds and its phases are what matters.
 */
final class GpsBreakdown {

    /** One iteration's seconds: total and per phase. */
    record Phases(int iteration, double total, double sampling, double dynamics, double lqr, double regression) {
    }

    private GpsBreakdown() {
    }

    static List<Phases> run(int iterations) {
        ObjectiveProvider objectives = Plugins.find(ObjectiveProvider.class, "logistic-regression");
        ObjectiveFamily family = objectives.create(objectives.configure(Map.of()), CreationContext.defaults());
        MetaTrainerProvider gps = Plugins.find(MetaTrainerProvider.class, "gps");
        Config config = gps.configure(Map.of("iterations", Integer.toString(iterations), "samples", "20"));
        PolicyProvider policy = Plugins.find(PolicyProvider.class, "mlp");
        FeatureMapProvider features = Plugins.find(FeatureMapProvider.class, "lm2016");
        Config fc = features.configure(Map.of());
        MetaTrainingRequest request = new MetaTrainingRequest(family, "logistic-regression", Map.of(), 90, 40, 0,
                new MetaTrainingRequest.PolicyClass("mlp", policy, policy.configure(Map.of())),
                new MetaTrainingRequest.Features("lm2016", fc, features.create(fc, CreationContext.defaults())),
                Optional.empty());
        List<Phases> phases = new ArrayList<>();
        gps.create(config, CreationContext.defaults()).train(request, new MetaTrainingListener() {
            @Override
            public void iteration(int iteration, int total, Map<String, Double> m) {
                phases.add(new Phases(iteration + 1, m.get("seconds"), m.get("sampling_seconds"),
                        m.get("dynamics_seconds"), m.get("lqr_seconds"), m.get("regression_seconds")));
                System.err.printf(java.util.Locale.ROOT, "gps iteration %d/%d: %.1f s%n", iteration + 1, total,
                        m.get("seconds"));
            }
        });
        return phases;
    }
}
