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
        corrections.corrections_file,
        corrections.expense_row_order
    from corrections
    join reports using (report_id)
)

select * from final;

comment on view stg_corrections is 'Values a clerk corrected by hand (field, value, who, why, the corrections file), with the report they were applied to.';
comment on column stg_corrections.field is 'The field corrected, as the corrections file names it (e.g. 実施期間, 経費.1.総事業費: row ① of the expense table, its A).';
comment on column stg_corrections.value is 'The value the clerk gave, as text.';
comment on column stg_corrections.corrected_by is 'Who made the correction (the corrections file''s corrected_by).';
comment on column stg_corrections.reason is 'Why, as the clerk wrote it.';
comment on column stg_corrections.provenance is 'Where the value now comes from (corrected by hand).';
comment on column stg_corrections.corrections_file is 'The corrections file (*.toml) the fix came from.';
comment on column stg_corrections.expense_row_order is 'For a fix of an expense cell (経費.<row>.<column>): the expense row it wrote into (expense_items.row_order of the report); NULL for other fields, and for a row its place in the file did not name alone or a fix loaded before migration 0021.';
