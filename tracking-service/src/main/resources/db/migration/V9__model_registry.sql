-- MLflow's model registry (mlflow/store/model_registry/dbmodels/models.py): registered models, their versions, the
-- tags of both, and aliases. MLflow keys every table by the model's name; here a surrogate id does, so a rename is
-- one row and a name of any length (MLflow limits none; SQLite keeps them whole) never enters a btree whole: a btree
-- entry holds at most ~2.7 kB (PostgreSQL 54000). Names and run ids are unique and found through their MD5 (as
-- logged model keys are, V8), and ordered through their first 256 characters in "C" collation (as values are, V7).

create table registered_models (
    id                     bigint generated always as identity primary key,
    name                   text   not null,
    creation_timestamp     bigint not null,
    last_updated_timestamp bigint not null,
    description            text,
    -- The highest version number ever given, deleted versions included: MLflow never gives a number twice. Creating
    -- a version increments it, which also locks the model's row, so concurrent creates are numbered one after another.
    last_version           integer not null default 0
);
create unique index registered_models_by_name on registered_models (md5(name));
-- registered-models/search: ordered by name (the default) and "name LIKE 'prefix%'".
create index registered_models_by_name_prefix on registered_models ((left(name, 256)) collate "C", id);

create table registered_model_tags (
    model_id bigint not null references registered_models on delete cascade,
    key      text   not null, -- at most 250 characters (MAX_MODEL_REGISTRY_TAG_KEY_LENGTH)
    value    text   not null, -- at most 100,000 characters, never indexed
    primary key (model_id, key)
);

-- A deleted version is gone, with its tags and aliases; its number stays taken (registered_models.last_version).
create table model_versions (
    model_id               bigint  not null references registered_models on delete cascade,
    version                integer not null,
    creation_timestamp     bigint  not null,
    last_updated_timestamp bigint  not null,
    description            text,
    user_id                text,
    current_stage          text    not null default 'None',
    source                 text    not null,
    -- Where the version's files are: the logged model's or run's artifact location a models:/ or runs:/ source
    -- names, else the source itself (MLflow's storage_location).
    storage_location       text    not null,
    run_id                 text    not null default '',
    run_link               text    not null default '',
    status                 text    not null default 'READY',
    status_message         text,
    logged_model_id        text, -- MLflow 3's model_id: the logged model this version registers
    primary key (model_id, version)
);
-- registered-models/get-latest-versions and the latest_versions of a registered model: the highest version per stage.
create index model_versions_by_stage on model_versions (model_id, current_stage, version desc);
-- model-versions/search "run_id IN (...)": the MLflow UI asks for the versions of every run it lists.
create index model_versions_by_run on model_versions (md5(run_id));

create table model_version_tags (
    model_id bigint  not null,
    version  integer not null,
    key      text    not null, -- at most 250 characters
    value    text    not null,
    primary key (model_id, version, key),
    foreign key (model_id, version) references model_versions on delete cascade
);

create table registered_model_aliases (
    model_id bigint  not null references registered_models on delete cascade,
    alias    text    not null, -- at most 255 characters (MAX_REGISTERED_MODEL_ALIAS_LENGTH)
    version  integer not null,
    primary key (model_id, alias),
    foreign key (model_id, version) references model_versions on delete cascade
);
