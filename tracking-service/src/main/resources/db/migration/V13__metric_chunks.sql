-- A metric point was a row of metrics, and every point an entry in its six-column primary key: for a training loop
-- logging 100 keys a step across many runs, each point went into a different place of a large index, and most of
-- PostgreSQL's time per point was that index and the write-ahead log of its pages. Now a statement stores each run's
-- points as one row of arrays, in the order they came: one heap row and one small index entry per run and statement
-- instead of one per point. With the latest values kept per key as before, PostgreSQL's time per point is about
-- 9 µs instead of 21 (pgbench, 800 points per transaction, 512 runs of 100 keys; in the
-- suite, log-batch via the gateway, 10-14 µs instead of 22-25). An identical point logged twice is
-- stored twice and read once: history reads drop repeats, keeping the first logged.
create table metric_chunks (
    run_uuid        uuid     not null,
    id              bigint   generated always as identity,
    keys            text[]   not null,
    steps           bigint[] not null,
    ts              bigint[] not null,
    vals            double precision[] not null,
    nans            boolean[] not null,
    model_ids       text[]   not null,
    dataset_names   text[]   not null,
    dataset_digests text[]   not null
);
-- A row holds at most 100 points (LoggingRepository.CHUNK), about 3.5 kB: kept whole in its page, not compressed nor
-- moved out of line, so that a read takes a point from the arrays at its place without unpacking them all.
alter table metric_chunks set (toast_tuple_target = 8160);
create index metric_chunks_by_run on metric_chunks (run_uuid);

insert into metric_chunks (run_uuid, keys, steps, ts, vals, nans, model_ids, dataset_names, dataset_digests)
select run_uuid, array_agg(key order by ts, step, value, is_nan), array_agg(step order by ts, step, value, is_nan),
       array_agg(ts order by ts, step, value, is_nan), array_agg(value order by ts, step, value, is_nan),
       array_agg(is_nan order by ts, step, value, is_nan), array_agg(model_id order by ts, step, value, is_nan),
       array_agg(dataset_name order by ts, step, value, is_nan), array_agg(dataset_digest order by ts, step, value, is_nan)
from (select *, (row_number() over (partition by run_uuid, key order by ts, step, value, is_nan) - 1) / 100 as chunk
      from metrics) as points
group by run_uuid, key, chunk;

drop table metrics;
