package io.quarkflow.tracking.store;

import io.quarkflow.tracking.config.TrackingConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Analyzes the tables runs/search reads as soon as they have grown, instead of waiting for autovacuum. The planner
 * picks the driving index and the join order of a search from these statistics; a fresh install's say the tables are
 * empty (the migrations analyzed them so), and with them a search over 10,000 runs planned nested loops that rescan
 * an experiment's rows for each row (24 s instead of 2 ms). Autovacuum notices growth once a minute at best.
 * <p>
 * Every {@code quarkflow.tracking.statistics.check-interval} one query compares each table's live rows with the rows
 * its last analyze counted (PostgreSQL's cumulative statistics: every replica sees every replica's writes); a table
 * that grew or shrank by {@code min-changed-rows + scale-factor * rows} is analyzed (a sample of at most 30,000 rows,
 * whatever the table's size; it takes no lock that writers or readers wait for). Updates do not count: every logged
 * point updates its key's row in latest_metrics, and counting them analyzed that table every second under load
 * (80-130 ms of PostgreSQL's CPU each, a tenth of its time per point); autovacuum still analyzes a table whose rows
 * changed. One check at a time, all of it on the reactive pool.
 */
@ApplicationScoped
public class StatisticsRefresher {

    private static final Logger LOG = Logger.getLogger(StatisticsRefresher.class);
    /** What runs/search filters and orders by; the metric history is only ever read by its key. */
    static final List<String> SEARCHED_TABLES = List.of("runs", "params", "tags", "latest_metrics");
    /** How many rows a table grew or shrank by since its last analyze (of pg_stat_user_tables s join pg_class c). */
    static final String ROWS_MOVED = "abs(s.n_live_tup - greatest(c.reltuples, 0))";
    private static final String GROWN_TABLES = "select s.relname from pg_stat_user_tables s "
            + "join pg_class c on c.oid = s.relid where s.schemaname = current_schema() and s.relname = any($1) "
            + "and " + ROWS_MOVED + " >= $2::float8 + $3::float8 * greatest(c.reltuples, 0) order by s.relname";

    private final Pool pool;
    private final TrackingConfig.Statistics config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean failing;
    private long timer = -1;

    public StatisticsRefresher(Pool pool, TrackingConfig config, Vertx vertx) {
        this.pool = pool;
        this.config = config.statistics();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(config.checkInterval().toMillis(), id -> check());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Starts a check unless one is running (an analyze of a large table can outlast the interval). */
    void check() {
        if (running.compareAndSet(false, true)) {
            refresh().subscribe().with(analyzed -> checked(), this::failed);
        }
    }

    /** Analyzes the tables that grew enough; answers their names. */
    Uni<List<String>> refresh() {
        return pool.preparedQuery(GROWN_TABLES)
                .execute(Tuple.of(SEARCHED_TABLES.toArray(String[]::new), (double) config.minChangedRows(),
                        config.scaleFactor()))
                .map(rows -> Rows.map(rows, row -> row.getString(0)))
                .call(tables -> Multi.createFrom().iterable(tables)
                        .onItem().transformToUniAndConcatenate(this::analyze)
                        .collect().last());
    }

    private Uni<Void> analyze(String table) {
        // The name is one of SEARCHED_TABLES, as pg_stat_user_tables spells it; never user input.
        return pool.query("analyze " + table).execute()
                .invoke(() -> LOG.debugf("Analyzed %s", table))
                .replaceWithVoid();
    }

    private void checked() {
        if (failing) {
            failing = false;
            LOG.info("Refreshing the search tables' statistics again");
        }
        running.set(false);
    }

    private void failed(Throwable failure) {
        if (!failing) {
            failing = true;
            LOG.warnf("Cannot refresh the search tables' statistics (autovacuum still does, later); retrying: %s",
                    failure.toString());
        }
        running.set(false);
    }
}
