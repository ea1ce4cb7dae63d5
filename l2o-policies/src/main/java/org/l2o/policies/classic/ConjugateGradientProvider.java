package org.l2o.policies.classic;

import java.util.List;
import java.util.Optional;
import org.l2o.api.Config;
import org.l2o.api.CreationContext;
import org.l2o.api.ParameterSpec;
import org.l2o.api.objective.ParameterLayout;
import org.l2o.api.update.Observation;
import org.l2o.api.update.RuleState;
import org.l2o.api.update.Step;
import org.l2o.api.update.UpdateRule;
import org.l2o.api.update.UpdateRuleProvider;

/**
 * Nonlinear conjugate gradient, Polak-Ribiere+ ({@code beta = max(0, g.(g - g_prev) / |g_prev|^2)}),
 * restarted every {@code restart} steps or when the direction is not a descent direction, with a
 * strong-Wolfe line search. The first trial step is {@code lr / |g|} on the first iteration and
 * then scaled from the previous step's slope (Nocedal and Wright, section 3.5).
 */
public final class ConjugateGradientProvider implements UpdateRuleProvider {

    @Override
    public String id() {
        return "cg";
    }

    @Override
    public String description() {
        return "nonlinear conjugate gradient (Polak-Ribiere+) with a strong-Wolfe line search";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.real("lr", 1.0, "length of the first trial step, relative to |g|").positive(),
                ParameterSpec.real("c1", 1e-4, "sufficient-decrease constant").range(1e-12, 0.5),
                ParameterSpec.real("c2", 0.1, "curvature constant (< 0.5 keeps CG directions descending)")
                        .range(1e-6, 0.99),
                ParameterSpec.integer("max-evals", 20, "objective evaluations allowed per line search").range(1, 1000),
                ParameterSpec.integer("restart", 0, "restart with steepest descent every n steps, 0 = dimension")
                        .range(0, Integer.MAX_VALUE),
                ParameterSpec.real("grad-tol", 1e-7, "no step (and no evaluation) once max |g_i| is at most this")
                        .nonNegative());
    }

    @Override
    public UpdateRule create(Config config, CreationContext context) {
        return new ConjugateGradient(Spec.of(id(), config), config.getDouble("lr"),
                new LineSearch(config.getDouble("c1"), config.getDouble("c2"), config.getInt("max-evals")),
                config.getInt("restart"), config.getDouble("grad-tol"));
    }

    record ConjugateGradient(String spec, double lr, LineSearch search, int restart, double gradTol)
            implements UpdateRule {

        /**
         * Previous gradient, direction and step length; {@code since} counts steps since the last
         * restart; {@code stalledAt} is the gradient where a steepest-descent search found no
         * acceptable point (searching again from the same gradient would fail the same way).
         */
        record State(double[] gradient, double[] direction, double alpha, double slope, int since, double[] stalledAt)
                implements RuleState {
        }

        @Override
        public RuleState init(ParameterLayout layout) {
            return new State(null, null, 0, 0, 0, null);
        }

        @Override
        public Step step(Observation o, RuleState state) {
            State s = (State) state;
            double[] g = Vectors.read(o.gradient());
            if (Vectors.maxAbs(g) <= gradTol || java.util.Arrays.equals(g, s.stalledAt())) {
                return new Step(Vectors.of(new double[g.length]), s);
            }
            double[] x = Vectors.read(o.x());
            int n = g.length;
            int period = restart == 0 ? n : restart;
            double[] d = new double[n];
            boolean fresh = s.gradient() == null || s.since() >= period;
            double beta = 0;
            if (!fresh) {
                double num = 0;
                for (int i = 0; i < n; i++) {
                    num += g[i] * (g[i] - s.gradient()[i]);
                }
                double den = Vectors.dot(s.gradient(), s.gradient());
                beta = den > 0 ? Math.max(0, num / den) : 0;
            }
            for (int i = 0; i < n; i++) {
                d[i] = -g[i] + (fresh ? 0 : beta * s.direction()[i]);
            }
            double slope = Vectors.dot(g, d);
            if (!(slope < 0)) {
                fresh = true;
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = -Vectors.dot(g, g);
            }
            double alpha1 = s.gradient() == null || s.slope() == 0 ? lr / Vectors.norm(g)
                    : Math.min(1e10, s.alpha() * s.slope() / slope);
            LineSearch.Result r = search.search(o.oracle(), x, d, o.value(), slope, alpha1);
            double[] dx = new double[n];
            if (!r.moved()) {
                // No acceptable point: stay, and restart from steepest descent next time.
                return new Step(Vectors.of(dx), new State(g, d, 0, 0, period, fresh ? g : null));
            }
            for (int i = 0; i < n; i++) {
                dx[i] = r.alpha() * d[i];
            }
            return new Step(Vectors.of(dx), new State(g, d, r.alpha(), slope, fresh ? 1 : s.since() + 1, null),
                    Optional.of(r.at()));
        }
    }
}
