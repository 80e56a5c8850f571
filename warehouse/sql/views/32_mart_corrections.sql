-- Data quality: values corrected by hand.
create or replace view mart_corrections as
with

corrections as (
    select * from stg_corrections
),

final as (
    select
        prefecture_name,
        fiscal_year,
        project_title,
        field,
        value,
        corrected_by,
        reason,
        provenance,
        corrections_file,
        report_id
    from corrections
)

select * from final order by prefecture_name, fiscal_year, report_id, field;

comment on view mart_corrections is 'Values a clerk corrected by hand (a corrections file keyed by the source''s SHA-256), with who and why; the source files are never modified.';

comment on column mart_corrections.field is 'The field corrected, as the corrections file names it.';
comment on column mart_corrections.value is 'The value the clerk gave, as text.';
comment on column mart_corrections.corrected_by is 'Who made the correction.';
comment on column mart_corrections.reason is 'Why, as the clerk wrote it.';
comment on column mart_corrections.provenance is 'Where the value now comes from (corrected by hand).';
comment on column mart_corrections.corrections_file is 'The corrections file (*.toml) the fix came from.';
