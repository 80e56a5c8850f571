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
        source_path,
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
        declared_own_funds,
        error_issues,
        warning_issues
    from versions
    where is_current
)

select * from final;

comment on view stg_reports is 'Current reports (revisions replaced) with prefecture name and region, source file and check issue counts; one row per report.';
comment on column stg_reports.source_path is 'Path of the file the report was loaded from, as the run was given it.';
comment on column stg_reports.period_start is 'First day of the 実施期間 (section 2); date.';
comment on column stg_reports.period_end is 'Last day of the 実施期間 (section 2); date.';
comment on column stg_reports.amount_unit is 'The unit the report''s 経費の内訳 was written in (円 or 千円). Amounts here are already in yen; this only says how the form was filled in.';
comment on column stg_reports.declared_total_cost is 'Total cost A of the report''s own 合計 row, yen (NULL when missing); spending views sum the item rows instead.';
comment on column stg_reports.declared_grant_amount is '本交付金 B of the report''s own 合計 row, yen (NULL when missing).';
comment on column stg_reports.declared_other_funds is '他の寄付金等 C of the report''s own 合計 row, yen (NULL when missing).';
comment on column stg_reports.declared_own_funds is '自己資金 D of the report''s own 合計 row, yen (NULL when missing).';
comment on column stg_reports.error_issues is 'Number of error-severity check issues on this report (0 when none).';
comment on column stg_reports.warning_issues is 'Number of warning-severity check issues on this report (0 when none).';
