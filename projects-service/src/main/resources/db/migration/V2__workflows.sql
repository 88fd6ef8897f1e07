-- Workflows: steps that are project runs, each started when the runs it depends on have finished.

-- What a finished step is reused by: an archive's content digest (a Git project's is its commit).
alter table projects.submissions add column archive_sha256 text;
create index submissions_reusable on projects.submissions (experiment_id, entry_point, project_uri)
    where status = 'FINISHED';

-- One row per workflow; its id is its parent run's, under which every step's run is nested.
create table projects.workflows (
    workflow_id         text   primary key,
    name                text   not null,
    experiment_id       text   not null,
    spec                jsonb  not null, -- as submitted
    parameters          jsonb  not null, -- the workflow's parameters: defaults with the submission's values
    status              text   not null, -- RUNNING, then FINISHED, FAILED or KILLED
    submitted_by        text   not null,
    submitted_at        bigint not null, -- epoch milliseconds
    ended_at            bigint,
    cancel_requested_at bigint,
    parent_closed       boolean not null default false -- the parent run has been given the workflow's end
);

create index workflows_by_experiment on projects.workflows (experiment_id, submitted_at desc, workflow_id);
create index workflows_by_status on projects.workflows (status, submitted_at desc, workflow_id);

-- Each step's state. A step is PENDING until its dependencies have finished, STARTING while it is being submitted,
-- then its run's status (kept current from the run events), or SKIPPED when a dependency did not finish.
create table projects.workflow_steps (
    workflow_id    text    not null references projects.workflows,
    name           text    not null,
    position       int     not null, -- in the spec
    status         text    not null,
    run_id         text,             -- once started, or the earlier run reused
    reused         boolean not null default false,
    parameters     jsonb,            -- as resolved when it started
    failure_reason text,
    claimed_at     bigint,           -- when it became STARTING
    primary key (workflow_id, name)
);

create index workflow_steps_by_run on projects.workflow_steps (run_id) where run_id is not null;
create index workflow_steps_starting on projects.workflow_steps (claimed_at) where status = 'STARTING';
