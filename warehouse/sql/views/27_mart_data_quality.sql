-- Data quality: quarantined files and check issues.
create or replace view mart_quarantined_files as
with

files as (
    select * from source_files where status = 'quarantined'
),

final as (
    select path, format, size_bytes, reason, first_seen_at, last_seen_at, sha256
    from files
)

select * from final order by path;

comment on view mart_quarantined_files is 'Files that could not be loaded, with the reason a clerk can act on.';

create or replace view mart_issues_by_rule_prefecture as
with

issues as (
    select * from validation_issues
),

reports as (
    select * from reports
),

prefectures as (
    select * from prefectures
),

final as (
    select
        issues.rule,
        issues.severity,
        reports.prefecture_code,
        prefectures.name_ja as prefecture_name,
        reports.fiscal_year,
        count(*) as issues
    from issues
    join reports using (report_id)
    join prefectures using (prefecture_code)
    where reports.is_current
    group by all
)

select * from final order by rule, prefecture_code, fiscal_year;

comment on view mart_issues_by_rule_prefecture is 'Check issues of current reports per rule, severity, prefecture and fiscal year.';

create or replace view mart_corrections as
with

corrections as (
    select * from corrections
),

reports as (
    select * from reports
),

prefectures as (
    select * from prefectures
),

final as (
    select
        prefectures.name_ja as prefecture_name,
        reports.fiscal_year,
        reports.project_title,
        corrections.field,
        corrections.value,
        corrections.corrected_by,
        corrections.reason,
        corrections.provenance,
        corrections.corrections_file,
        corrections.report_id
    from corrections
    join reports using (report_id)
    join prefectures using (prefecture_code)
)

select * from final order by prefecture_name, fiscal_year, report_id, field;

comment on view mart_corrections is 'Values a clerk corrected by hand (a corrections file keyed by the source''s SHA-256), with who and why; the source files are never modified.';
