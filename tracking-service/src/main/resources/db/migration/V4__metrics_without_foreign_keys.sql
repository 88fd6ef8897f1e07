-- Metric points are the write-heavy path (a log-batch carries up to 1000). Checking each point's foreign key
-- against runs cost about as much as inserting it; every write path already reads the run and refuses unknown or
-- deleted runs in the same statement or transaction, and runs are only soft-deleted, so the check bought nothing.
alter table metrics drop constraint if exists metrics_run_uuid_fkey;
alter table latest_metrics drop constraint if exists latest_metrics_run_uuid_fkey;
