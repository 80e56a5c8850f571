-- Data quality: files that could not be loaded.
create or replace view mart_quarantined_files as
with

files as (
    select * from stg_source_files where status = 'quarantined'
),

final as (
    select path, format, size_bytes, reason, reason_code, first_seen_at, last_seen_at, sha256
    from files
)

select * from final order by path;

comment on view mart_quarantined_files is 'Files that could not be loaded, with the reason a clerk can act on (Japanese) and its stable reason_code.';

comment on column mart_quarantined_files.path is 'Path of the file as the run was given it.';
comment on column mart_quarantined_files.format is 'Format by extension and content (pdf, xlsx, docx, txt, xls, doc).';
comment on column mart_quarantined_files.size_bytes is 'Size of the file, bytes.';
comment on column mart_quarantined_files.reason is 'Why it could not be loaded, in Japanese, with what to do (send it again, save it as xlsx …).';
comment on column mart_quarantined_files.reason_code is 'Stable code of the reason (empty_file, pdf_no_text …, see docs/operations.md).';
comment on column mart_quarantined_files.first_seen_at is 'When a run first saw the file, UTC.';
comment on column mart_quarantined_files.last_seen_at is 'When a run last saw the file, UTC.';
comment on column mart_quarantined_files.sha256 is 'SHA-256 of the file''s bytes (hex): a corrections file for it is keyed by this.';
