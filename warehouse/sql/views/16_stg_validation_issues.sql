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
        reports.source_path,
        issues.report_id,
        reports.prefecture_code,
        reports.prefecture_name,
        reports.fiscal_year,
        reports.is_current,
        issues.rule,
        coalesce(rules.label_ja, issues.rule) as rule_label,
        issues.severity,
        case issues.severity when 'error' then 'エラー' when 'warning' then '注意' end
            as severity_label,
        issues.message
    from issues
    left join reports using (report_id)
    left join rules using (rule)
)

select * from final;

comment on view stg_validation_issues is 'Check issues (rule, its Japanese label, severity, message) with the report, file, prefecture and fiscal year they belong to, and whether that report is current.';
comment on column stg_validation_issues.source_path is 'Path of the file the report was loaded from.';
comment on column stg_validation_issues.is_current is 'Whether the issue''s report is the one in force (false: a revision replaced it).';
comment on column stg_validation_issues.rule is 'Stable code of the check (amount_identity, total_mismatch, period …), for counting and filtering.';
comment on column stg_validation_issues.rule_label is 'What the check looks at, in Japanese (the rules seed); the code when it has no label.';
comment on column stg_validation_issues.severity is 'error (a figure is wrong or missing: correct it) or warning (worth a look).';
comment on column stg_validation_issues.severity_label is 'severity in Japanese: エラー or 注意.';
comment on column stg_validation_issues.message is 'The issue in Japanese for the clerk: where on the form, what is wrong, what to do.';
