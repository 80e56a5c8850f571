-- Staging: current reports with their prefecture, one row per report.
create or replace view stg_reports as
with

versions as (
    select * from stg_report_versions
),

final as (
    select
        report_id,
        source_sha256,
        prefecture_code,
        prefecture_name,
        region,
        fiscal_year,
        project_title,
        period_start,
        period_end,
        amount_unit,
        declared_total_cost,
        declared_grant_amount,
        declared_other_funds,
        declared_own_funds
    from versions
    where is_current
)

select * from final;

comment on view stg_reports is 'Current reports (revisions replaced) with prefecture name and region; one row per report.';
