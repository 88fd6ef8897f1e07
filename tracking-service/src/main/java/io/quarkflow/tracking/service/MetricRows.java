package io.quarkflow.tracking.service;

import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.TrackingRules;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metric points as rows to write: each with its run id, in the order logged (metric_chunks keeps them so); and the
 * latest point per key, in key order, which latest_metrics keeps, so that concurrent writers lock its rows in one
 * order and cannot deadlock.
 */
final class MetricRows {

    /** MLflow's latest point of a key: the greatest (step, timestamp, value); a NaN wins a tie, as it sorts last. */
    private static final Comparator<Metric> LATEST = Comparator.comparingLong(Metric::step)
            .thenComparingLong(Metric::timestamp)
            .thenComparingDouble(metric -> TrackingRules.storedValue(metric.value()))
            .thenComparing(metric -> Double.isNaN(metric.value()));
    /** By key, then MLflow's history order (timestamp, step, value), is_nan included: logged_model_metrics' key order. */
    static final Comparator<Metric> INDEX_ORDER = Comparator.comparing(Metric::key)
            .thenComparingLong(Metric::timestamp)
            .thenComparingLong(Metric::step)
            .thenComparingDouble(metric -> TrackingRules.storedValue(metric.value()))
            .thenComparing(metric -> Double.isNaN(metric.value()));

    private MetricRows() {
    }

    /** The run's points with its id, in the order logged. */
    static List<Metric> history(String runId, List<Metric> metrics) {
        return metrics.stream().map(metric -> withRun(runId, metric)).toList();
    }

    /** Each key's latest point, in key order (the latest_metrics key). */
    static List<Metric> latestPerKey(List<Metric> metrics) {
        Map<String, Metric> latest = new TreeMap<>();
        metrics.forEach(metric -> latest.merge(metric.key(), metric,
                (kept, next) -> LATEST.compare(next, kept) >= 0 ? next : kept));
        return List.copyOf(latest.values());
    }

    private static Metric withRun(String runId, Metric metric) {
        return new Metric(metric.key(), metric.value(), metric.timestamp(), metric.step(), metric.datasetName(),
                metric.datasetDigest(), metric.modelId(), runId);
    }
}
