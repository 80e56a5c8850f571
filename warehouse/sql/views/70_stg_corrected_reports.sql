-- Staging: each report with values a clerk corrected by hand, and which (the exports' and
-- the report's marker of corrected values, issue 23).
create or replace view stg_corrected_reports as
with

corrections as (
    select * from stg_corrections
),

final as (
    select
        report_id,
        string_agg(distinct field, '、' order by field) as corrected_fields,
        count(*) as fixes
    from corrections
    group by report_id
)

select * from final;

comment on view stg_corrected_reports is 'One row per report with values corrected by hand (a clerk''s corrections file): the fields corrected. A report without a row here is as it was sent (or as OCR read and confirmed it).';
comment on column stg_corrected_reports.corrected_fields is 'The fields corrected, as the corrections files name them (実施期間, 経費.1.総事業費: the first row of the expense table, its A; 合計.本交付金: the total row), joined with 「、」.';
comment on column stg_corrected_reports.fixes is 'Number of fixes applied to the report.';
