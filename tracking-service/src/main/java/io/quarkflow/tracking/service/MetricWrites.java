package io.quarkflow.tracking.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkflow.tracking.config.TrackingConfig;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.store.LoggingRepository;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Group commit of metric points (log-metric, and log-batch with metrics only: what training loops send all day).
 * While {@code quarkflow.tracking.metric-writes.max-in-flight} statements run, further requests wait, and go together in the next statement: one
 * round trip and one commit for all of them rather than one each, which is what bounds throughput when many jobs
 * log at once. A quiet server writes each request at once, alone. A request is answered only once the statement
 * holding its points has committed. A statement is first the cheaper one ({@link LoggingRepository#logNewMetrics}, which fails
 * when another creates the first latest value of one of its keys at the same time); when it fails, for that or any
 * reason, each of its requests is written again in a statement of its own ({@link LoggingRepository#logMetrics}),
 * ahead of the others and within the same bound, so that each stays all-or-nothing and one request's failure never
 * becomes another's.
 */
@ApplicationScoped
public class MetricWrites {

    /**
     * One request's points: its history rows and latest point per key, with the run id; {@code alone} once a statement
     * holding it failed: it is then written in a statement of its own, which takes points logged before.
     */
    private record Request(String runId, List<Metric> history, List<Metric> latest, UniEmitter<? super String> done,
                           boolean alone) {

        Request retriedAlone() {
            return new Request(runId, history, latest, done, true);
        }
    }

    private final Pool pool;
    private final LoggingRepository logging;
    private final TrackingConfig.MetricWrites config;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private int inFlight;
    /** quarkflow_metric_write_statements_total on /q/metrics: fewer than the requests when they are grouped. */
    private final Counter statements;
    /** quarkflow_metric_write_retried_total: requests written again alone, after a statement holding them failed. */
    private final Counter retried;

    public MetricWrites(Pool pool, LoggingRepository logging, TrackingConfig config, MeterRegistry meters) {
        this.pool = pool;
        this.logging = logging;
        this.config = config.metricWrites();
        this.statements = Counter.builder("quarkflow.metric.write.statements")
                .description("Statements that wrote the metric points of log-metric and metrics-only log-batch requests")
                .register(meters);
        this.retried = Counter.builder("quarkflow.metric.write.retried")
                .description("Metric-point requests written again in a statement of their own after a statement holding "
                        + "them failed, as one that logs a point again does")
                .register(meters);
        Gauge.builder("quarkflow.metric.write.waiting", this, MetricWrites::waitingCount)
                .description("Metric-point requests waiting for a statement while the most allowed run")
                .register(meters);
    }

    private synchronized int waitingCount() {
        return waiting.size();
    }

    /**
     * Writes the points to the run unless it is not active.
     *
     * @param history at least one point, with the run id ({@link MetricRows#history})
     * @param latest  the latest point per key of {@code history} ({@link MetricRows#latestPerKey})
     * @return the run's lifecycle stage once the points are committed, or null when there is no such run (then
     *         nothing was written, as nothing is to a run that is not active)
     */
    public Uni<String> write(String runId, List<Metric> history, List<Metric> latest) {
        return Uni.createFrom().emitter(done -> {
            synchronized (this) {
                waiting.add(new Request(runId, history, latest, done, false));
            }
            writeWaiting();
        });
    }

    private void writeWaiting() {
        List<Request> batch = new ArrayList<>();
        synchronized (this) {
            if (inFlight == config.maxInFlight() || waiting.isEmpty()) {
                return;
            }
            int points = 0;
            while (!waiting.isEmpty() && (batch.isEmpty() || !batch.get(0).alone() && !waiting.peek().alone()
                    && points + waiting.peek().history().size() <= config.maxPoints())) {
                Request next = waiting.poll();
                points += next.history().size();
                batch.add(next);
            }
            inFlight++;
        }
        write(batch).subscribe().with(stages -> {
            finished();
            batch.forEach(request -> request.done().complete(stages.get(request.runId())));
        }, failure -> {
            if (batch.get(0).alone()) {
                finished();
                batch.get(0).done().fail(failure);
            } else {
                // Each request again, alone, ahead of the others and within the same bound of statements in flight.
                retried.increment(batch.size());
                synchronized (this) {
                    for (int i = batch.size() - 1; i >= 0; i--) {
                        waiting.addFirst(batch.get(i).retriedAlone());
                    }
                }
                finished();
            }
        });
    }

    private void finished() {
        synchronized (this) {
            inFlight--;
        }
        writeWaiting();
    }

    /** One statement for the requests: rows by run, in the order logged, one latest row per run and key. */
    private Uni<Map<String, String>> write(List<Request> batch) {
        Map<String, List<Request>> byRun = new TreeMap<>();
        batch.forEach(request -> byRun.computeIfAbsent(request.runId(), id -> new ArrayList<>()).add(request));
        List<Metric> history = new ArrayList<>();
        List<Metric> latest = new ArrayList<>();
        byRun.values().forEach(requests -> {
            requests.forEach(request -> history.addAll(request.history()));
            latest.addAll(requests.size() == 1 ? requests.get(0).latest() : MetricRows.latestPerKey(
                    requests.stream().flatMap(request -> request.latest().stream()).toList()));
        });
        statements.increment();
        return batch.get(0).alone() ? logging.logMetrics(pool, history, latest)
                : logging.logNewMetrics(pool, history, latest);
    }
}
