-- Staging: check issues, with the report they belong to (current or not).
create or replace view stg_validation_issues as
with

issues as (
    select * from validation_issues
),

reports as (
    select * from stg_report_versions
),

rules as (
    select * from rules
),

final as (
    select
        issues.source_sha256,
        issues.report_id,
        reports.prefecture_code,
        reports.prefecture_name,
        reports.fiscal_year,
        reports.is_current,
        issues.rule,
        coalesce(rules.label_ja, issues.rule) as rule_label,
        issues.severity,
        issues.message
    from issues
    left join reports using (report_id)
    left join rules using (rule)
)

select * from final;

comment on view stg_validation_issues is 'Check issues (rule, its Japanese label, severity, message) with the report, prefecture and fiscal year they belong to, and whether that report is current.';
