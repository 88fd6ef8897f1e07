-- MLflow returns a metric's history ordered by (timestamp, step, value) (its SQL store's get_metric_history), and
-- clients page through it in that order. The key (the same columns, so the same dedup rule) now has that order,
-- so a history page is still one range of the index. Writers lock points in this order too.
alter table metrics drop constraint metrics_pkey,
    add constraint metrics_pkey primary key (run_uuid, key, ts, step, value, is_nan);
