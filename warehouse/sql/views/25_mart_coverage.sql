-- Which prefecture reported for which fiscal year.
create or replace view mart_coverage as
with

reports as (
    select * from stg_reports
),

prefectures as (
    select * from stg_prefectures
),

years as (
    select distinct fiscal_year from reports
),

reported as (
    select prefecture_code, fiscal_year, count(*) as reports
    from reports
    group by all
),

final as (
    select
        prefectures.prefecture_code,
        prefectures.name_ja as prefecture_name,
        prefectures.region,
        years.fiscal_year,
        coalesce(reported.reports, 0) as reports,
        reported.reports is not null as has_reported
    from prefectures
    cross join years
    left join reported using (prefecture_code, fiscal_year)
)

select * from final order by fiscal_year, prefecture_code;

comment on view mart_coverage is 'Every prefecture for every fiscal year that any prefecture reported: number of current reports and whether it reported.';
comment on column mart_coverage.reports is 'Number of current reports of the prefecture for the year (a count: 0 means none is on file).';
comment on column mart_coverage.has_reported is 'True when at least one current report of the prefecture for the year is on file.';
