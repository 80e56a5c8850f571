-- Staging: every report loaded, current or replaced by a revision, with its prefecture.
create or replace view stg_report_versions as
with

reports as (
    select * from reports
),

prefectures as (
    select * from stg_prefectures
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
        reports.declared_own_funds,
        reports.is_current,
        reports.superseded_by
    from reports
    left join prefectures using (prefecture_code)
)

select * from final;

comment on view stg_report_versions is 'Every report loaded, current or superseded by a later revision (superseded_by), with prefecture name and region.';
