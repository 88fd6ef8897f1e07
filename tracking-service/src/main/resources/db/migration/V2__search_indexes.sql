-- Search at scale. Each run's experiment is copied onto its params, tags and latest metrics (a run never moves
-- between experiments), so one index range answers "runs of these experiments whose <key> compares to <value>",
-- and walking latest_metrics by (experiment, key, value) yields runs already ordered by a metric.

alter table latest_metrics add column experiment_id bigint;
alter table params add column experiment_id bigint;
alter table tags add column experiment_id bigint;

update latest_metrics m set experiment_id = r.experiment_id from runs r where r.run_uuid = m.run_uuid;
update params p set experiment_id = r.experiment_id from runs r where r.run_uuid = p.run_uuid;
update tags t set experiment_id = r.experiment_id from runs r where r.run_uuid = t.run_uuid;

alter table latest_metrics alter column experiment_id set not null;
alter table params alter column experiment_id set not null;
alter table tags alter column experiment_id set not null;

create index latest_metrics_by_value on latest_metrics (experiment_id, key, value);
-- "C" collation: byte order, so LIKE 'prefix%' is an index range whatever the database's locale.
create index params_by_value on params (experiment_id, key, value collate "C");
create index tags_by_value on tags (experiment_id, key, value collate "C");
create index runs_by_experiment_stage on runs (experiment_id, lifecycle_stage, start_time desc, run_uuid);
drop index runs_by_experiment;

analyze runs;
analyze latest_metrics;
analyze params;
analyze tags;
