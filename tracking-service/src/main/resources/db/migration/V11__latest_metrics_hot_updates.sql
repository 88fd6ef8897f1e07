-- Every logged point that is a key's new latest value updates its latest_metrics row: for a training loop, every
-- point. With value indexed (latest_metrics_by_value), each such update was a new row version plus an entry in both
-- indexes, and the table and indexes bloated faster than autovacuum reclaimed them (6,400 live rows took 81 MB).
-- Indexing only what never changes (run, key; experiment, key) makes those updates HOT: the new version goes on the
-- same page, no index is touched, and the page prunes itself. PostgreSQL then takes about twice the latest-value
-- updates per second. Searches ordered or filtered by a metric read the experiment's rows of that key from
-- latest_metrics_by_key and sort them: a top-N sort over the runs of the experiment (10,000 runs: about 2 ms)
-- instead of an index walk. fillfactor 70 leaves room on each page for the updated versions.
drop index latest_metrics_by_value;
create index latest_metrics_by_key on latest_metrics (experiment_id, key);
alter table latest_metrics set (fillfactor = 70);
analyze latest_metrics;
