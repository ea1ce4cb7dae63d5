package org.l2o.policies.classic;

import java.util.ArrayList;
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
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4): two-loop recursion over the last
 * {@code memory} pairs (s, y), initial scaling {@code s.y / y.y}, pairs with {@code s.y <= 1e-10 |s||y|}
 * skipped to keep the inverse Hessian positive definite, and a strong-Wolfe line search. The
 * first trial step is {@code lr * min(1, 1/|g|_1)} as in torch.optim.LBFGS, later ones {@code lr}.
 */
public final class LbfgsProvider implements UpdateRuleProvider {

    @Override
    public String id() {
        return "lbfgs";
    }

    @Override
    public String description() {
        return "limited-memory BFGS with a strong-Wolfe line search";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.real("lr", 1.0, "first trial step length of each line search").positive(),
                ParameterSpec.integer("memory", 10, "number of (s, y) pairs kept").range(1, 1000),
                ParameterSpec.real("c1", 1e-4, "sufficient-decrease constant").range(1e-12, 0.5),
                ParameterSpec.real("c2", 0.9, "curvature constant").range(1e-6, 0.99),
                ParameterSpec.integer("max-evals", 20, "objective evaluations allowed per line search").range(1, 1000),
                ParameterSpec.real("grad-tol", 1e-7, "no step (and no evaluation) once max |g_i| is at most this")
                        .nonNegative());
    }

    @Override
    public UpdateRule create(Config config, CreationContext context) {
        return new Lbfgs(Spec.of(id(), config), config.getDouble("lr"), config.getInt("memory"),
                new LineSearch(config.getDouble("c1"), config.getDouble("c2"), config.getInt("max-evals")),
                config.getDouble("grad-tol"));
    }

    record Lbfgs(String spec, double lr, int memory, LineSearch search, double gradTol) implements UpdateRule {

        /**
         * Curvature pairs, oldest first, the last step and gradient to form the next pair, and the
         * gradient where a steepest-descent search found no acceptable point ({@code stalledAt}).
         */
        record State(List<double[]> s, List<double[]> y, double[] lastStep, double[] lastGradient, double[] stalledAt)
                implements RuleState {
        }

        @Override
        public RuleState init(ParameterLayout layout) {
            return new State(List.of(), List.of(), null, null, null);
        }

        @Override
        public Step step(Observation o, RuleState state) {
            State st = (State) state;
            double[] g = Vectors.read(o.gradient());
            if (Vectors.maxAbs(g) <= gradTol || java.util.Arrays.equals(g, st.stalledAt())) {
                return new Step(Vectors.of(new double[g.length]), st);
            }
            double[] x = Vectors.read(o.x());
            int n = g.length;
            List<double[]> ss = new ArrayList<>(st.s());
            List<double[]> ys = new ArrayList<>(st.y());
            if (st.lastStep() != null) {
                double[] yk = new double[n];
                for (int i = 0; i < n; i++) {
                    yk[i] = g[i] - st.lastGradient()[i];
                }
                double sy = Vectors.dot(st.lastStep(), yk);
                if (sy > 1e-10 * Vectors.norm(st.lastStep()) * Vectors.norm(yk)) {
                    ss.add(st.lastStep());
                    ys.add(yk);
                    if (ss.size() > memory) {
                        ss.remove(0);
                        ys.remove(0);
                    }
                }
            }
            double[] d = direction(g, ss, ys);
            double slope = Vectors.dot(g, d);
            if (!(slope < 0)) {
                ss.clear();
                ys.clear();
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = -Vectors.dot(g, g);
            }
            double alpha1 = ss.isEmpty() ? lr * Math.min(1, 1 / l1(g)) : lr;
            LineSearch.Result r = search.search(o.oracle(), x, d, o.value(), slope, alpha1);
            double[] dx = new double[n];
            if (!r.moved()) {
                // Forget the curvature pairs; the next step starts again from steepest descent.
                return new Step(Vectors.of(dx), new State(List.of(), List.of(), null, null, ss.isEmpty() ? g : null));
            }
            for (int i = 0; i < n; i++) {
                dx[i] = r.alpha() * d[i];
            }
            return new Step(Vectors.of(dx), new State(List.copyOf(ss), List.copyOf(ys), dx.clone(), g, null),
                    Optional.of(r.at()));
        }

        private static double l1(double[] g) {
            double s = 0;
            for (double v : g) {
                s += Math.abs(v);
            }
            return s;
        }

        /** {@code -H g} by the two-loop recursion. */
        private static double[] direction(double[] g, List<double[]> ss, List<double[]> ys) {
            int k = ss.size();
            double[] q = g.clone();
            double[] a = new double[k];
            double[] rho = new double[k];
            for (int j = k - 1; j >= 0; j--) {
                rho[j] = 1 / Vectors.dot(ys.get(j), ss.get(j));
                a[j] = rho[j] * Vectors.dot(ss.get(j), q);
                double[] y = ys.get(j);
                for (int i = 0; i < q.length; i++) {
                    q[i] -= a[j] * y[i];
                }
            }
            if (k > 0) {
                double[] s = ss.get(k - 1);
                double[] y = ys.get(k - 1);
                double gamma = Vectors.dot(s, y) / Vectors.dot(y, y);
                for (int i = 0; i < q.length; i++) {
                    q[i] *= gamma;
                }
            }
            for (int j = 0; j < k; j++) {
                double b = rho[j] * Vectors.dot(ys.get(j), q);
                double[] s = ss.get(j);
                for (int i = 0; i < q.length; i++) {
                    q[i] += s[i] * (a[j] - b);
                }
            }
            for (int i = 0; i < q.length; i++) {
                q[i] = -q[i];
            }
            return q;
        }
    }
}
