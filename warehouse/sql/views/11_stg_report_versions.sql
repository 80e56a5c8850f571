-- Staging: every report loaded, current or replaced by a revision, with its prefecture, the
-- file it came from and how many check issues it has.
create or replace view stg_report_versions as
with

reports as (
    select * from reports
),

prefectures as (
    select * from stg_prefectures
),

files as (
    select * from source_files
),

issues as (
    select * from validation_issues
),

loaded_paths as (
    select sha256 as source_sha256, min(path) as source_path
    from files
    where status = 'loaded'
    group by all
),

report_issues as (
    select
        report_id,
        count(*) filter (where severity = 'error') as error_issues,
        count(*) filter (where severity = 'warning') as warning_issues
    from issues
    where report_id is not null
    group by all
),

final as (
    select
        reports.report_id,
        reports.source_sha256,
        loaded_paths.source_path,
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
        coalesce(report_issues.error_issues, 0) as error_issues,
        coalesce(report_issues.warning_issues, 0) as warning_issues,
        reports.is_current,
        reports.superseded_by
    from reports
    left join prefectures using (prefecture_code)
    left join loaded_paths using (source_sha256)
    left join report_issues using (report_id)
)

select * from final;

comment on view stg_report_versions is 'Every report loaded, current or superseded by a later revision (superseded_by), with prefecture name and region, the file it was loaded from and its check issues.';
comment on column stg_report_versions.source_path is 'Path of the file the report was loaded from, as the run was given it (the first path when the same bytes arrived under several).';
comment on column stg_report_versions.period_start is 'First day of the 実施期間 (section 2), read from the Japanese-era date; date.';
comment on column stg_report_versions.period_end is 'Last day of the 実施期間 (section 2); date.';
comment on column stg_report_versions.amount_unit is 'The unit the report''s 経費の内訳 was written in (円 or 千円, from 「単位:千円」). Every amount in the warehouse is already converted to yen; this only says how the form was filled in.';
comment on column stg_report_versions.declared_total_cost is 'Total cost A of the report''s own 合計 row, yen (NULL when the row is missing). Spending views sum the item rows instead; total_mismatch flags where they differ.';
comment on column stg_report_versions.declared_grant_amount is '本交付金 B of the report''s own 合計 row, yen (NULL when the row is missing).';
comment on column stg_report_versions.declared_other_funds is '他の寄付金等 C of the report''s own 合計 row, yen (NULL when the row is missing).';
comment on column stg_report_versions.declared_own_funds is '自己資金 D of the report''s own 合計 row, yen (NULL when the row is missing).';
comment on column stg_report_versions.error_issues is 'Number of error-severity check issues on this report (0 when none): its figures are in doubt until a clerk corrects it.';
comment on column stg_report_versions.warning_issues is 'Number of warning-severity check issues on this report (0 when none).';
comment on column stg_report_versions.is_current is 'True for the report in force: false when a later revision of the same project replaced it.';
comment on column stg_report_versions.superseded_by is 'report_id of the revision that replaced this report; NULL while it is current.';
