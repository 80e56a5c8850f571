-- A stable English code beside each file's reason (issue #15): the reasons are written in
-- Japanese for the clerks who pass them on, the codes are for counting and filtering. Files
-- recorded before keep a NULL code until they are read again.
alter table source_files add column reason_code varchar;

-- The checks' rules with their Japanese labels (seeded from transform/records.py every run).
create table rules (
    rule     varchar primary key,
    label_ja varchar not null
);
