package io.quarkflow.tracking.domain;

import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Chooses which steps the MLflow UI's chart sees for several runs: at most maxResults evenly spaced steps of
 * all steps logged in [start, end], plus each run's first and last step in that range (MLflow's
 * get-metric-history-bulk-interval sampling).
 */
public final class MetricSampler {

    public static final int MAX_RUNS = 100;
    public static final int MAX_RESULTS_PER_RUN = 2500;

    private MetricSampler() {
    }

    /** @param stepsPerRun each run's logged steps, sorted ascending, without duplicates */
    public static NavigableSet<Long> sample(List<List<Long>> stepsPerRun, Long start, Long end, int maxResults) {
        TreeSet<Long> all = new TreeSet<>();
        stepsPerRun.forEach(all::addAll);
        long from = start == null ? 0 : start;
        long to = end == null ? (all.isEmpty() ? 0 : all.last()) : end;

        TreeSet<Long> sampled = new TreeSet<>();
        List<Long> inRange = List.copyOf(all.subSet(from, true, to, true));
        if (inRange.size() <= maxResults) {
            sampled.addAll(inRange);
        } else {
            double interval = (double) inRange.size() / maxResults;
            for (int i = 0; i < maxResults; i++) {
                sampled.add(inRange.get((int) (i * interval)));
            }
            sampled.add(inRange.get(inRange.size() - 1));
        }
        for (List<Long> steps : stepsPerRun) {
            if (!steps.isEmpty()) {
                addIfWithin(sampled, steps.get(0), from, to);
                addIfWithin(sampled, steps.get(steps.size() - 1), from, to);
            }
        }
        return sampled;
    }

    private static void addIfWithin(TreeSet<Long> steps, long step, long from, long to) {
        if (step >= from && step <= to) {
            steps.add(step);
        }
    }
}
