-- Tracking metadata, modelled on MLflow's SQL store with PostgreSQL-native keys and indexes.

create sequence experiment_id_seq start with 1;

create table experiments (
    experiment_id     bigint primary key,
    name              text   not null unique,
    artifact_location text   not null,
    lifecycle_stage   text   not null default 'active',
    creation_time     bigint not null,
    last_update_time  bigint not null
);

create table experiment_tags (
    experiment_id bigint not null references experiments on delete cascade,
    key           text   not null,
    value         text   not null,
    primary key (experiment_id, key)
);

create table runs (
    run_uuid        text   primary key,
    experiment_id   bigint not null references experiments,
    name            text   not null,
    user_id         text,
    status          text   not null,
    start_time      bigint not null,
    end_time        bigint,
    lifecycle_stage text   not null default 'active',
    artifact_uri    text   not null,
    deleted_time    bigint
);
create index runs_by_experiment on runs (experiment_id, start_time desc, run_uuid);

create table params (
    run_uuid text not null references runs on delete cascade,
    key      text not null,
    value    text not null,
    primary key (run_uuid, key)
);

create table tags (
    run_uuid text not null references runs on delete cascade,
    key      text not null,
    value    text not null,
    primary key (run_uuid, key)
);

-- Full history. The key doubles as the dedup rule (an identical point logged twice is one point)
-- and as the index range that one metric's history is read from, in step order.
create table metrics (
    run_uuid text             not null references runs on delete cascade,
    key      text             not null,
    step     bigint           not null,
    ts       bigint           not null,
    value    double precision not null,
    is_nan   boolean          not null,
    primary key (run_uuid, key, step, ts, value, is_nan)
);

-- The latest point per key: max of (step, ts, value), as MLflow defines it.
create table latest_metrics (
    run_uuid text             not null references runs on delete cascade,
    key      text             not null,
    step     bigint           not null,
    ts       bigint           not null,
    value    double precision not null,
    is_nan   boolean          not null,
    primary key (run_uuid, key)
);

create table datasets (
    dataset_uuid  text   primary key,
    experiment_id bigint not null references experiments on delete cascade,
    name          text   not null,
    digest        text   not null,
    source_type   text   not null,
    source        text   not null,
    schema        text,
    profile       text,
    unique (experiment_id, name, digest)
);

create table run_inputs (
    run_uuid     text not null references runs on delete cascade,
    dataset_uuid text not null references datasets on delete cascade,
    primary key (run_uuid, dataset_uuid)
);

create table run_input_tags (
    run_uuid     text not null,
    dataset_uuid text not null,
    key          text not null,
    value        text not null,
    primary key (run_uuid, dataset_uuid, key),
    foreign key (run_uuid, dataset_uuid) references run_inputs on delete cascade
);

insert into experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
values (0, 'Default', rtrim('${default_artifact_root}', '/') || '/0', 'active',
        (extract(epoch from now()) * 1000)::bigint, (extract(epoch from now()) * 1000)::bigint);
