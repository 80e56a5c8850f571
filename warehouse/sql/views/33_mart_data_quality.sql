-- Data quality, one row per file: how it was read, what it gave, what is wrong with it and
-- whether a clerk corrected it by hand.
create or replace view mart_data_quality as
with

files as (
    select * from stg_source_files
),

reports as (
    select * from stg_report_versions
),

issues as (
    select * from stg_validation_issues
),

corrections as (
    select * from stg_corrections
),

ocr as (
    select * from stg_ocr_reads
),

file_ocr as (
    select
        source_sha256 as sha256,
        max(grade) as grade,
        min(confidence) as ocr_confidence,
        bool_or(review_status = 'needs_review') as awaiting_review
    from ocr
    group by all
),

file_reports as (
    select
        source_sha256 as sha256,
        count(*) as reports,
        count(*) filter (where is_current) as current_reports
    from reports
    group by all
),

file_issues as (
    select
        source_sha256 as sha256,
        count(*) filter (where severity = 'error') as error_issues,
        count(*) filter (where severity = 'warning') as warning_issues,
        string_agg(distinct rule, ', ' order by rule) as rules
    from issues
    group by all
),

file_corrections as (
    select
        source_sha256 as sha256,
        count(*) as corrected_fields,
        string_agg(distinct corrected_by, ', ' order by corrected_by) as corrected_by,
        string_agg(distinct corrections_file, ', ' order by corrections_file) as corrections_files
    from corrections
    group by all
),

final as (
    select
        files.path,
        files.format,
        files.status,
        files.reason,
        files.read_path,
        coalesce(file_reports.reports, 0) as reports,
        coalesce(file_reports.current_reports, 0) as current_reports,
        coalesce(file_issues.error_issues, 0) as error_issues,
        coalesce(file_issues.warning_issues, 0) as warning_issues,
        file_issues.rules,
        case
            when file_corrections.sha256 is not null then 'corrected by hand'
            when files.status = 'loaded' and file_ocr.sha256 is not null then 'ocr confirmed'
            when files.status = 'loaded' then 'as sent'
            when file_ocr.awaiting_review then 'ocr'
        end as provenance,
        file_ocr.grade,
        file_ocr.ocr_confidence,
        coalesce(file_corrections.corrected_fields, 0) as corrected_fields,
        file_corrections.corrected_by,
        file_corrections.corrections_files,
        files.last_seen_at,
        files.sha256
    from files
    left join file_reports using (sha256)
    left join file_issues on files.status = 'loaded' and file_issues.sha256 = files.sha256
    left join file_corrections on files.status = 'loaded' and file_corrections.sha256 = files.sha256
    left join file_ocr on file_ocr.sha256 = files.sha256
)

select * from final order by path;

comment on view mart_data_quality is 'One row per file seen: its status (loaded, quarantined with the reason, duplicate), how it was read, its reports, error and warning issues, whether a clerk corrected it by hand or it was read from a scan (provenance), and a scan''s grade and confidence.';

comment on column mart_data_quality.path is 'Path of the file as the run was given it.';
comment on column mart_data_quality.format is 'Format by extension and content (pdf, xlsx, docx, txt, xls, doc, image: a TIFF, JPEG or PNG scan).';
comment on column mart_data_quality.status is 'loaded, duplicate (the same bytes under another path) or quarantined (see reason).';
comment on column mart_data_quality.reason is 'Why the file is quarantined (Japanese, with what to do), or whose copy a duplicate is; NULL when loaded.';
comment on column mart_data_quality.read_path is 'How a loaded file was read (text, xlsx, docx, or the PDF reading paths it needed).';
comment on column mart_data_quality.reports is 'Number of reports the file gave, current or superseded (0 for a quarantined file or a duplicate).';
comment on column mart_data_quality.current_reports is 'Number of those reports still current (a later revision replaces one).';
comment on column mart_data_quality.error_issues is 'Number of error-severity check issues on the file''s reports (0 when none).';
comment on column mart_data_quality.warning_issues is 'Number of warning-severity check issues on the file''s reports (0 when none).';
comment on column mart_data_quality.rules is 'Codes of the checks that raised issues, comma-separated; NULL when none.';
comment on column mart_data_quality.provenance is 'as sent (loaded as the office sent it), ocr confirmed (a scan read by OCR and confirmed, automatically or by a clerk), corrected by hand (a clerk''s corrections file changed a value), or ocr (a scan read by OCR awaiting review: quarantined, in no mart); NULL for other files not loaded.';
comment on column mart_data_quality.grade is 'For a scan: A confirmed automatically on strong evidence, B confirmed by a clerk, C awaiting review; NULL for a file that is no scan.';
comment on column mart_data_quality.ocr_confidence is 'For a scan: share (0-1) of the fields deciding money and place read with certainty (the least of the file''s reports); NULL otherwise.';
comment on column mart_data_quality.corrected_fields is 'Number of fields a clerk corrected by hand (0 when none).';
comment on column mart_data_quality.corrected_by is 'Who corrected the file, comma-separated; NULL when nobody did.';
comment on column mart_data_quality.corrections_files is 'The corrections files applied, comma-separated; NULL when none.';
comment on column mart_data_quality.last_seen_at is 'When a run last saw the file, UTC.';
comment on column mart_data_quality.sha256 is 'SHA-256 of the file''s bytes (hex).';
