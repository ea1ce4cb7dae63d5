package org.l2o.api.meta;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.l2o.api.DivergenceException;

/**
 * The one loop that drives every {@link MetaTrainer}: runs the iterations left of the trainer's
 * budget, stops with a {@link DivergenceException} when an iteration's training cost is not finite,
 * keeps the candidate with the lowest finite score, times each iteration, reports metrics, and hands
 * the listener a checkpoint after every iteration. The checkpoint holds the loop's own state (next
 * iteration, best score and candidate) and the trainer's, in one {@link CheckpointWriter} stream;
 * {@link MetaTrainingRequest#resume()} continues from it exactly as an uninterrupted run would have.
 *
 * <p>Metrics passed to {@link MetaTrainingListener#iteration} are the trainer's, then
 * {@code NAME_seconds} for each timed phase, {@code seconds} for the whole iteration,
 * {@code best_iteration} (0-based, -1 while no candidate had a finite score, -2 while the starting
 * optimizer a trainer reported ({@link Iteration#start()}) scores best) and
 * {@code inner_steps_total}.
 *
 * <p>The budget: a trainer reports the inner optimizer steps of an iteration as the metric
 * {@code inner_steps} (training and validation objectives alike); the loop adds them up, with the
 * wall time of the run (its start included), and stamps the totals on every candidate it hands
 * out ({@link Provenance#budget()}: {@code inner_steps}, {@code seconds}, {@code iterations}, and
 * {@code kept_iteration}, the 1-based iteration of the candidate kept, 0 for the starting
 * optimizer, where one scored). The
 * totals travel in the checkpoint after the trainer's state; resumed from a checkpoint written
 * without them, the budget counts from the resumed iteration on and says so
 * ({@code counted_from_iteration}).
 *
 * <p>Stateless: a run is confined to the caller's thread and deterministic as {@link MetaTrainer}
 * describes.
 */
public final class MetaTrainingLoop {

    private static final String LOOP = "meta-training-loop";
    private static final String TRAINER = "trainer";
    private static final String BUDGET = "budget";
    /** {@code best_iteration} while no candidate scored, and while the starting optimizer is kept. */
    private static final int NONE = -1;
    private static final int STARTING = -2;
    /** The metric a trainer reports its inner optimizer steps of an iteration as. */
    public static final String INNER_STEPS = "inner_steps";

    private MetaTrainingLoop() {
    }

    /** Runs {@code trainer} on {@code request} to the end of its iteration budget. */
    public static MetaTrainingResult run(MetaTrainer trainer, MetaTrainingRequest request,
                                         MetaTrainingListener listener) {
        return run(trainer, request, listener, "checkpoint");
    }

    /**
     * As {@link #run(MetaTrainer, MetaTrainingRequest, MetaTrainingListener)}, naming the checkpoint
     * {@code checkpointName} (e.g. its file) in the message when the state to resume from is corrupt.
     */
    public static MetaTrainingResult run(MetaTrainer trainer, MetaTrainingRequest request,
                                         MetaTrainingListener listener, String checkpointName) {
        return run(trainer, request, listener, checkpointName, Long.MAX_VALUE);
    }

    /**
     * As {@link #run(MetaTrainer, MetaTrainingRequest, MetaTrainingListener, String)}, also stopping
     * after the iteration whose inner steps bring the run's total to {@code innerStepBudget} or more
     * (trainers compared at equal budgets; a resumed run that has spent it runs no further iteration).
     *
     * @throws IllegalArgumentException if the budget is not positive
     */
    public static MetaTrainingResult run(MetaTrainer trainer, MetaTrainingRequest request,
                                         MetaTrainingListener listener, String checkpointName, long innerStepBudget) {
        if (innerStepBudget <= 0) {
            throw new IllegalArgumentException("inner-step budget must be positive, got " + innerStepBudget);
        }
        int next = 0;
        double bestScore = Double.POSITIVE_INFINITY;
        int bestIteration = -1;
        LearnedOptimizer chosen = null;
        TrainerState state;
        long started = System.nanoTime();
        long innerSteps = 0;
        double seconds0 = 0; // spent before this process's share, from the checkpoint
        int countedFrom = 0;
        if (request.resume().isPresent()) {
            CheckpointReader in = new CheckpointReader(request.resume().get(), checkpointName);
            in.section(LOOP);
            next = in.integer();
            bestScore = in.number();
            bestIteration = in.integer();
            chosen = readLearned(in);
            in.section(TRAINER);
            state = trainer.restore(request, in);
            if (in.atEnd()) {
                countedFrom = next; // written before budgets were kept
            } else {
                in.section(BUDGET);
                innerSteps = in.longValue();
                seconds0 = in.number();
                countedFrom = in.integer();
            }
            in.end();
        } else {
            state = trainer.start(request, listener);
        }
        int total = trainer.iterations();
        List<Map<String, Double>> history = new ArrayList<>();
        LearnedOptimizer best = bestIteration != NONE ? chosen : null;
        for (int it = next; it < total && innerSteps < innerStepBudget; it++) {
            long began = System.nanoTime();
            Iteration step = trainer.iterate(state, it, listener);
            double seconds = (System.nanoTime() - began) / 1e9;
            if (!Double.isFinite(step.cost())) {
                String advice = trainer.divergenceAdvice();
                throw new DivergenceException(step.candidate().provenance().trainer()
                        + ": training costs became non-finite at iteration " + it
                        + (advice.isEmpty() ? "" : "; " + advice));
            }
            Iteration.Scored start = step.start();
            if (start != null && Double.isFinite(start.score()) && start.score() < bestScore) {
                bestScore = start.score();
                bestIteration = STARTING;
                best = start.candidate();
            }
            if (Double.isFinite(step.score()) && step.score() < bestScore) {
                bestScore = step.score();
                bestIteration = it;
                best = step.candidate();
            }
            chosen = best != null ? best : step.candidate();
            Map<String, Double> metrics = new LinkedHashMap<>(step.metrics());
            for (Map.Entry<String, Duration> d : step.durations().entrySet()) {
                metrics.put(d.getKey() + "_seconds", d.getValue().toNanos() / 1e9);
            }
            metrics.put("seconds", seconds);
            metrics.put("best_iteration", (double) bestIteration);
            innerSteps += Math.round(step.metrics().getOrDefault(INNER_STEPS, 0.0));
            metrics.put("inner_steps_total", (double) innerSteps);
            history.add(metrics);
            state = step.next();
            listener.iteration(it, total, metrics);
            double spent = seconds0 + (System.nanoTime() - started) / 1e9;
            CheckpointWriter out = new CheckpointWriter().section(LOOP).integer(it + 1).number(bestScore)
                    .integer(bestIteration);
            writeLearned(out, chosen);
            state.write(out.section(TRAINER));
            out.section(BUDGET).longValue(innerSteps).number(spent).integer(countedFrom);
            chosen = stamped(chosen, innerSteps, spent, it + 1, countedFrom, bestIteration);
            listener.checkpoint(it, out.bytes(), chosen);
        }
        if (chosen == null) {
            throw new IllegalStateException("no iteration ran and the checkpoint holds no candidate");
        }
        return new MetaTrainingResult(chosen, history);
    }

    /**
     * {@code lo} with the run's budget so far in its provenance, and the iteration (1-based) whose
     * candidate it is when one scored: which candidate a file holds is part of what produced it.
     */
    private static LearnedOptimizer stamped(LearnedOptimizer lo, long innerSteps, double seconds, int iterations,
                                            int countedFrom, int bestIteration) {
        Map<String, String> budget = new LinkedHashMap<>();
        budget.put("inner_steps", Long.toString(innerSteps));
        budget.put("seconds", String.format(java.util.Locale.ROOT, "%.1f", seconds));
        budget.put("iterations", Integer.toString(iterations));
        if (countedFrom > 0) {
            budget.put("counted_from_iteration", Integer.toString(countedFrom));
        }
        if (bestIteration != NONE) {
            budget.put("kept_iteration", Integer.toString(bestIteration == STARTING ? 0 : bestIteration + 1));
        }
        return lo.withProvenance(lo.provenance().withBudget(budget));
    }

    /** Writes a learned optimizer, provenance included, as checkpoint fields. */
    public static void writeLearned(CheckpointWriter out, LearnedOptimizer lo) {
        out.flag(lo != null);
        if (lo == null) {
            return;
        }
        out.text(lo.policyClass()).texts(lo.policyParameters()).text(lo.featureMap()).texts(lo.featureParameters())
                .integer(lo.inputSize()).integer(lo.actionSize()).arrays(lo.weights());
        Provenance p = lo.provenance();
        out.text(p.trainer()).texts(p.trainerParameters()).text(p.objective()).texts(p.objectiveParameters())
                .integer(p.trainObjectives()).integer(p.steps()).longValue(p.seed()).text(p.l2oVersion())
                .text(p.javaVersion()).text(p.created().toString()).integer(p.history().size());
        p.history().forEach(out::text);
        out.texts(p.environment()).texts(p.budget());
    }

    /** Reads what {@link #writeLearned} wrote (null where it wrote none). */
    public static LearnedOptimizer readLearned(CheckpointReader in) {
        if (!in.flag()) {
            return null;
        }
        String policy = in.text();
        Map<String, String> policyParameters = in.texts();
        String features = in.text();
        Map<String, String> featureParameters = in.texts();
        int inputSize = in.integer();
        int actionSize = in.integer();
        var weights = in.arrays();
        String trainer = in.text();
        Map<String, String> trainerParameters = in.texts();
        String objective = in.text();
        Map<String, String> objectiveParameters = in.texts();
        int trainObjectives = in.integer();
        int steps = in.integer();
        long seed = in.longValue();
        String version = in.text();
        String java = in.text();
        Instant created;
        try {
            created = Instant.parse(in.text());
        } catch (java.time.format.DateTimeParseException e) {
            throw in.corrupt("creation time of the learned optimizer");
        }
        int lines = in.integer();
        List<String> history = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            history.add(in.text());
        }
        Map<String, String> environment = in.texts();
        // checkpoints written before budgets were kept go on with the next section here
        Map<String, String> budget = in.nextIs(CheckpointWriter.TEXTS) ? in.texts() : Map.of();
        try {
            return new LearnedOptimizer(policy, policyParameters, features, featureParameters, inputSize, actionSize,
                    weights, new Provenance(trainer, trainerParameters, objective, objectiveParameters, trainObjectives,
                            steps, seed, version, java, created, history, environment, budget));
        } catch (IllegalArgumentException e) {
            throw in.corrupt("learned optimizer: " + e.getMessage());
        }
    }
}
