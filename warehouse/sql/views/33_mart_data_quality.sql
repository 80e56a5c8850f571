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
            when files.status = 'loaded' then 'as sent'
        end as provenance,
        coalesce(file_corrections.corrected_fields, 0) as corrected_fields,
        file_corrections.corrected_by,
        file_corrections.corrections_files,
        files.last_seen_at,
        files.sha256
    from files
    left join file_reports using (sha256)
    left join file_issues on files.status = 'loaded' and file_issues.sha256 = files.sha256
    left join file_corrections on files.status = 'loaded' and file_corrections.sha256 = files.sha256
)

select * from final order by path;

comment on view mart_data_quality is 'One row per file seen: its status (loaded, quarantined with the reason, duplicate), how it was read, its reports, error and warning issues, and whether a clerk corrected it by hand (provenance).';
