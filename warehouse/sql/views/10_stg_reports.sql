-- Staging: current reports with their prefecture, one row per report.
create or replace view stg_reports as
with

reports as (
    select * from reports where is_current
),

prefectures as (
    select * from prefectures
),

final as (
    select
        reports.report_id,
        reports.source_sha256,
        reports.prefecture_code,
        prefectures.name_ja as prefecture_name,
        prefectures.region,
        reports.fiscal_year,
        reports.project_title,
        reports.period_start,
        reports.period_end,
        reports.amount_unit,
        reports.declared_total_cost,
        reports.declared_grant_amount,
        reports.declared_other_funds,
        reports.declared_own_funds
    from reports
    left join prefectures using (prefecture_code)
)

select * from final;

comment on view stg_reports is 'Current reports (revisions replaced) with prefecture name and region; one row per report.';
