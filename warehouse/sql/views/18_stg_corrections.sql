-- Staging: the clerks' fixes, with the report they were applied to.
create or replace view stg_corrections as
with

corrections as (
    select * from corrections
),

reports as (
    select * from stg_report_versions
),

final as (
    select
        corrections.report_id,
        corrections.source_sha256,
        reports.prefecture_code,
        reports.prefecture_name,
        reports.fiscal_year,
        reports.project_title,
        corrections.field,
        corrections.value,
        corrections.corrected_by,
        corrections.reason,
        corrections.provenance,
        corrections.corrections_file
    from corrections
    join reports using (report_id)
)

select * from final;

comment on view stg_corrections is 'Values a clerk corrected by hand (field, value, who, why, the corrections file), with the report they were applied to.';
