-- projects-service's own schema (quarkus.flyway.schemas): tracking-service's tables are not ours to read.

-- One row per project run submitted. The run itself (status, params, tags) is tracking-service's; status here is a
-- copy kept current from the run events, so that runs can be listed by status without asking tracking-service.
create table projects.submissions (
    run_id              text   primary key,
    experiment_id       text   not null,
    project_uri         text   not null,
    version             text,            -- as the user gave it: a branch, tag or commit; null for the default
    git_commit          text,            -- what it resolved to; null for a local directory that is no Git repository
    entry_point         text   not null,
    parameters          jsonb  not null, -- the user's parameters, as given
    backend             text   not null,
    backend_config      jsonb  not null,
    command             text   not null, -- the resolved command line the launcher runs
    submitted_by        text   not null,
    submitted_at        bigint not null, -- epoch milliseconds
    status              text   not null,
    cancel_requested_at bigint
);

create index submissions_by_experiment on projects.submissions (experiment_id, submitted_at desc, run_id);
create index submissions_by_status on projects.submissions (status, submitted_at desc, run_id);

-- Transactional outbox for project-run requests and cancels (see the outbox module).
create table projects.outbox (
    id         bigint generated always as identity primary key,
    topic      text        not null,
    record_key text        not null,
    event      text        not null,
    created_at timestamptz not null default now()
);

create function projects.outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('quarkflow_projects_outbox', '');
    return null;
end
$$;

create trigger outbox_notify after insert on projects.outbox for each statement execute function projects.outbox_notify();
