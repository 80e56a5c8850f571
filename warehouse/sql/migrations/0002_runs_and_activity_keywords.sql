-- One row per published ingestion run (exports name the run they come from).
create table runs (
    run_id           varchar primary key,
    started_at       timestamp not null,
    finished_at      timestamp not null,
    pipeline_version varchar not null,
    files_loaded     integer not null,
    files_quarantined integer not null,
    files_duplicate  integer not null
);

-- The editable activity dictionary (warehouse/seeds/activity_keywords.csv), reloaded on every run.
create table activity_keywords (
    activity varchar not null,
    label    varchar not null,
    keyword  varchar not null
);
