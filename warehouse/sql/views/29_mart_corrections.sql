-- Data quality: values corrected by hand.
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
