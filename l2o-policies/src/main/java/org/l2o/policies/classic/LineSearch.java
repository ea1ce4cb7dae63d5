package org.l2o.policies.classic;

import org.l2o.api.objective.Evaluation;
import org.l2o.api.update.Oracle;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Line search for the strong Wolfe conditions (Nocedal and Wright, Numerical Optimization,
 * algorithms 3.5 and 3.6): bracket by doubling the trial step, then zoom with safeguarded cubic
 * interpolation. Every trial costs one oracle evaluation, counted by the runner. When the budget
 * runs out it returns the best trial with sufficient decrease, or no move at all.
 */
final class LineSearch {

    /** Outcome: step length (0 = no acceptable point), the evaluation there, and trials used. */
    record Result(double alpha, Evaluation at, int evaluations) {
        boolean moved() {
            return alpha > 0;
        }
    }

    private final double c1;
    private final double c2;
    private final int maxEvaluations;

    LineSearch(double c1, double c2, int maxEvaluations) {
        this.c1 = c1;
        this.c2 = c2;
        this.maxEvaluations = maxEvaluations;
    }

    private record Trial(double alpha, double f, double slope, Evaluation eval) {
    }

    /**
     * Searches along {@code d} from {@code x} where the value is {@code f0} and the directional
     * derivative {@code slope0 < 0}, starting with step {@code alpha1}.
     */
    Result search(Oracle oracle, double[] x, double[] d, double f0, double slope0, double alpha1) {
        Budget budget = new Budget(oracle, x, d);
        Trial prev = new Trial(0, f0, slope0, null);
        Trial best = null;
        double alpha = alpha1;
        boolean first = true;
        while (budget.left()) {
            Trial t = budget.eval(alpha);
            if (sufficient(t, f0, slope0) && (best == null || t.f() < best.f())) {
                best = t;
            }
            if (!sufficient(t, f0, slope0) || (!first && t.f() >= prev.f())) {
                return finish(zoom(budget, prev, t, f0, slope0), best, budget);
            }
            if (Math.abs(t.slope()) <= -c2 * slope0) {
                return new Result(t.alpha(), t.eval(), budget.used);
            }
            if (t.slope() >= 0) {
                return finish(zoom(budget, t, prev, f0, slope0), best, budget);
            }
            prev = t;
            alpha *= 2;
            first = false;
        }
        return finish(null, best, budget);
    }

    private boolean sufficient(Trial t, double f0, double slope0) {
        return Double.isFinite(t.f()) && t.f() <= f0 + c1 * t.alpha() * slope0;
    }

    private Result finish(Trial accepted, Trial best, Budget budget) {
        Trial t = accepted != null ? accepted : best;
        return t == null ? new Result(0, null, budget.used) : new Result(t.alpha(), t.eval(), budget.used);
    }

    /** Zoom between {@code lo} (sufficient decrease, lower value) and {@code hi}; null when the budget ends. */
    private Trial zoom(Budget budget, Trial lo, Trial hi, double f0, double slope0) {
        while (budget.left()) {
            double a = interpolate(lo, hi);
            Trial t = budget.eval(a);
            if (!sufficient(t, f0, slope0) || t.f() >= lo.f()) {
                hi = t;
            } else {
                if (Math.abs(t.slope()) <= -c2 * slope0) {
                    return t;
                }
                if (t.slope() * (hi.alpha() - lo.alpha()) >= 0) {
                    hi = lo;
                }
                lo = t;
            }
            if (Math.abs(hi.alpha() - lo.alpha()) < 1e-12 * Math.max(1, lo.alpha())) {
                break;
            }
        }
        return lo.eval() == null ? null : lo;
    }

    /** Minimiser of the cubic through both ends, kept inside the middle 80% of the interval. */
    private static double interpolate(Trial a, Trial b) {
        double lo = Math.min(a.alpha(), b.alpha());
        double hi = Math.max(a.alpha(), b.alpha());
        double guess = Double.NaN;
        if (Double.isFinite(a.f()) && Double.isFinite(b.f()) && Double.isFinite(a.slope()) && Double.isFinite(b.slope())) {
            double d1 = a.slope() + b.slope() - 3 * (a.f() - b.f()) / (a.alpha() - b.alpha());
            double disc = d1 * d1 - a.slope() * b.slope();
            if (disc >= 0) {
                double d2 = Math.signum(b.alpha() - a.alpha()) * Math.sqrt(disc);
                guess = b.alpha() - (b.alpha() - a.alpha()) * (b.slope() + d2 - d1) / (b.slope() - a.slope() + 2 * d2);
            }
        }
        double margin = 0.1 * (hi - lo);
        if (!Double.isFinite(guess) || guess < lo + margin || guess > hi - margin) {
            guess = 0.5 * (lo + hi);
        }
        return guess;
    }

    /** Evaluations along the line, within the budget. */
    private final class Budget {
        private final Oracle oracle;
        private final double[] x;
        private final double[] d;
        int used;

        Budget(Oracle oracle, double[] x, double[] d) {
            this.oracle = oracle;
            this.x = x;
            this.d = d;
        }

        boolean left() {
            return used < maxEvaluations;
        }

        Trial eval(double alpha) {
            used++;
            double[] p = new double[x.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = x[i] + alpha * d[i];
            }
            INDArray point = Vectors.of(p);
            Evaluation e = oracle.evaluate(point);
            double slope = Vectors.dot(Vectors.read(e.gradient()), d);
            return new Trial(alpha, e.value(), slope, e);
        }
    }
}
