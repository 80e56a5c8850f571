-- Corrections a clerk supplied for a file that could not be read as sent (issue #13): one row
-- per applied fix, with who made it and why. The source file itself is never modified.
create table corrections (
    report_id        varchar not null,
    source_sha256    varchar not null,
    field            varchar not null,
    value            varchar not null,
    corrected_by     varchar not null,
    reason           varchar not null,
    corrections_file varchar not null,
    provenance       varchar not null default 'corrected by hand'
);
