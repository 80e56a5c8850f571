-- Prefectures that have not reported for a fiscal year others reported.
create or replace view mart_missing_reports as
with

coverage as (
    select * from mart_coverage
),

final as (
    select prefecture_code, prefecture_name, region, fiscal_year
    from coverage
    where not has_reported
)

select * from final order by fiscal_year, prefecture_code;

comment on view mart_missing_reports is 'Prefectures with no report on file for a fiscal year that others have reported (the year a report is missing for is fiscal_year).';
