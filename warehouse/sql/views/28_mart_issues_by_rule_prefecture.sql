-- Data quality: check issues of current reports.
create or replace view mart_issues_by_rule_prefecture as
with

issues as (
    select * from validation_issues
),

reports as (
    select * from reports
),

prefectures as (
    select * from prefectures
),

final as (
    select
        issues.rule,
        issues.severity,
        reports.prefecture_code,
        prefectures.name_ja as prefecture_name,
        reports.fiscal_year,
        count(*) as issues
    from issues
    join reports using (report_id)
    join prefectures using (prefecture_code)
    where reports.is_current
    group by all
)

select * from final order by rule, prefecture_code, fiscal_year;

comment on view mart_issues_by_rule_prefecture is 'Check issues of current reports per rule, severity, prefecture and fiscal year.';
