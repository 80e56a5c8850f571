-- Staging: every file seen, by content and path.
create or replace view stg_source_files as
with

files as (
    select * from source_files
),

final as (
    select
        sha256,
        path,
        size_bytes,
        format,
        status,
        reason,
        reason_code,
        read_path,
        first_seen_at,
        last_seen_at,
        pipeline_version
    from files
)

select * from final;

comment on view stg_source_files is 'Every file seen (one row per content and path): loaded, duplicate or quarantined with the reason (Japanese) and its stable reason_code, how it was read, when it was first and last seen.';
comment on column stg_source_files.sha256 is 'SHA-256 of the file''s bytes (hex): the file''s identity; a clerk''s corrections file is keyed by it.';
comment on column stg_source_files.path is 'Path of the file as the run was given it.';
comment on column stg_source_files.size_bytes is 'Size of the file, bytes.';
comment on column stg_source_files.format is 'Format by extension and content: pdf, xlsx, docx, txt (text and CSV exports), xls, doc.';
comment on column stg_source_files.status is 'loaded (its reports are in the warehouse), duplicate (the same bytes under another path; no rows added) or quarantined (could not be loaded: see reason).';
comment on column stg_source_files.reason is 'Why the file is quarantined, in Japanese with what to do; for a duplicate, whose copy it is; NULL when loaded.';
comment on column stg_source_files.reason_code is 'Stable code of the quarantine reason (empty_file, pdf_no_text …, see docs/operations.md); NULL when loaded.';
comment on column stg_source_files.read_path is 'How a loaded file was read: text, xlsx, docx, or for a PDF the reading paths it needed (e.g. pdf: ruled grid + text outside the grid).';
comment on column stg_source_files.first_seen_at is 'When a run first saw the file, UTC (timestamp without zone).';
comment on column stg_source_files.last_seen_at is 'When a run last saw the file, UTC (timestamp without zone).';
comment on column stg_source_files.pipeline_version is 'Version of the pipeline that last read the file (quarantined files are read again when it changes).';
