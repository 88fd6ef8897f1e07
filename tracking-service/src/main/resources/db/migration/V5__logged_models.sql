-- MLflow 3 logged models (mlflow/store/tracking/dbmodels/models.py: logged_models with its params, tags and
-- metrics), the models a run used and produced, and the MLflow 3 fields of a metric point.

create table logged_models (
    model_id                  text     primary key,
    experiment_id             bigint   not null references experiments,
    name                      text     not null,
    artifact_location         text     not null,
    creation_timestamp_ms     bigint   not null,
    last_updated_timestamp_ms bigint   not null,
    status                    smallint not null, -- LoggedModelStatus's protobuf number, as MLflow stores it
    lifecycle_stage           text     not null default 'active',
    -- '' when the client gave none, as MLflow stores (and filters) them
    model_type                text     not null default '',
    source_run_id             text     not null default ''
);
-- logged-models/search: an experiment's models newest first (what the UI asks for with every runs table), and the
-- keyset page after a given (creation time, model id). Deleted models are never searched.
create index logged_models_by_experiment on logged_models (experiment_id, creation_timestamp_ms desc, model_id)
    where lifecycle_stage = 'active';
-- "name = '<name>'": how the client resolves runs:/<run_id>/<name> and registers a model from a run.
create index logged_models_by_name on logged_models (experiment_id, name) where lifecycle_stage = 'active';

create table logged_model_params (
    model_id text not null references logged_models,
    key      text not null,
    value    text not null,
    primary key (model_id, key)
);

create table logged_model_tags (
    model_id text not null references logged_models,
    key      text not null,
    value    text not null,
    primary key (model_id, key)
);

-- The points logged with a model_id, which are points of their run's history as well. The key makes an identical
-- point one point (MLflow 3's log_model re-sends a run's metrics with the new model's id), and its order is what
-- ordering by a metric reads: a model's latest value of a key is the last entry of its (model_id, key) range.
create table logged_model_metrics (
    model_id       text             not null references logged_models,
    key            text             not null,
    ts             bigint           not null,
    step           bigint           not null,
    value          double precision not null,
    is_nan         boolean          not null,
    run_uuid       text             not null,
    dataset_name   text,
    dataset_digest text,
    primary key (model_id, key, ts, step, value, is_nan, run_uuid)
);

-- runs/outputs and the models of runs/log-inputs. One row per (run, model), as MLflow's unique index has it; a
-- repeated request changes nothing.
create table run_model_outputs (
    run_uuid text   not null references runs,
    model_id text   not null,
    step     bigint not null,
    primary key (run_uuid, model_id)
);

create table run_model_inputs (
    run_uuid text not null references runs,
    model_id text not null,
    primary key (run_uuid, model_id)
);

-- What a point was measured on and for which model. Not part of the metrics key: the same (key, step, timestamp,
-- value) logged again with a model id is the same point of the run's history, which therefore keeps its order
-- (the key's) and shows each point once; the model's link to it is a row of logged_model_metrics.
alter table metrics add column model_id text, add column dataset_name text, add column dataset_digest text;
