package org.l2o.runtime.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l2o.api.ConfigurationException;
import org.l2o.api.meta.MetaTrainingResult;
import org.l2o.runtime.run.OptimizerSpec;

/**
 * What the experiments' learned rows beyond the papers share: the tuned step size a row takes as its
 * policy's nominal term (and optionally as a trainer parameter), and the table of what each learned
 * optimizer's meta-training spent. Stateless.
 */
final class LearnedRows {

    private LearnedRows() {
    }

    /** A learned row's policy and trainer parameters and feature-map SPEC with the tuned rule put in. */
    record Parameters(Map<String, String> policy, Map<String, String> trainer, String features) {
    }

    /**
     * {@code policy} with {@code nominal-lr} set to the step size of the tuned optimizer
     * {@code nominalFrom} (when not null), {@code trainer} with {@code trainerLr} (when not null)
     * set to the same step size unless given, and, for a policy whose nominal term is the heavy ball
     * ({@code nominal=momentum}), the feature map's {@code nominal-momentum} set to the tuned
     * momentum coefficient unless given: the fresh policy is then the tuned rule itself.
     *
     * @throws ConfigurationException naming the row if {@code nominalFrom} was not tuned, has no step
     *                                size (or no momentum for a heavy-ball nominal term), or
     *                                {@code trainerLr} is set without it
     */
    static Parameters withTunedStep(String row, Map<String, String> policy, Map<String, String> trainer,
                                    String features, String nominalFrom, String trainerLr,
                                    List<OptimizerSpec> tuned) {
        Map<String, String> p = new LinkedHashMap<>(policy);
        Map<String, String> t = new LinkedHashMap<>(trainer);
        String f = features;
        if (nominalFrom != null) {
            OptimizerSpec from = tuned.stream().filter(s -> s.id().equals(nominalFrom)).findFirst()
                    .orElseThrow(() -> new ConfigurationException("settings: learned '" + row + "': nominalFrom '"
                            + nominalFrom + "' is not among the tuned optimizers ("
                            + String.join(", ", tuned.stream().map(OptimizerSpec::id).toList()) + ")"));
            String lr = from.parameters().get("lr");
            if (lr == null) {
                throw new ConfigurationException("settings: learned '" + row + "': tuned " + from.text()
                        + " has no lr for nominal-lr");
            }
            p.put("nominal-lr", lr);
            if ("momentum".equals(policy.get("nominal"))) {
                String mu = from.parameters().get("momentum");
                if (mu == null || features == null) {
                    throw new ConfigurationException("settings: learned '" + row + "': a heavy-ball nominal term needs "
                            + (mu == null ? "a tuned momentum coefficient, " + from.text() + " has none"
                            : "the feature map that gives it (features, e.g. lopt)"));
                }
                if (!features.contains("nominal-momentum=")) {
                    f = features + (features.contains(":") ? "," : ":") + "nominal-momentum=" + mu;
                }
            }
        }
        if (trainerLr != null) {
            if (!p.containsKey("nominal-lr")) {
                throw new ConfigurationException("settings: learned '" + row + "': trainerLr needs nominalFrom (the "
                        + "tuned step size it copies)");
            }
            t.putIfAbsent(trainerLr, p.get("nominal-lr"));
        }
        return new Parameters(p, t, f);
    }

    static final List<String> BUDGET_HEADER = List.of("learned optimizer", "trainer", "policy", "inner steps",
            "seconds", "iterations", "kept iteration");

    /**
     * Per learned optimizer (by row name): its trainer, policy class, budget and the iteration whose
     * candidate it is, from its provenance.
     */
    static List<List<String>> budgets(Map<String, MetaTrainingResult> rows) {
        List<List<String>> out = new ArrayList<>();
        rows.forEach((name, r) -> {
            Map<String, String> b = r.optimizer().provenance().budget();
            out.add(List.of("learned:" + name, r.optimizer().provenance().trainer(), r.optimizer().policyClass(),
                    b.getOrDefault("inner_steps", "not recorded"), b.getOrDefault("seconds", ""),
                    b.getOrDefault("iterations", ""), b.getOrDefault("kept_iteration", "")));
        });
        return out;
    }
}
