-- Data quality: check issues of current reports, per report and rule, with the report's year
-- and file (a prefecture can have reports of several years, or several of one year).
create or replace view mart_issues_by_report as
with

issues as (
    select * from stg_validation_issues where is_current
),

final as (
    select
        prefecture_code,
        prefecture_name,
        fiscal_year,
        report_id,
        source_path,
        rule,
        rule_label,
        severity,
        severity_label,
        count(*) as issues,
        string_agg(message, ' / ' order by message) as messages
    from issues
    group by all
)

select * from final order by prefecture_code, fiscal_year, report_id, severity, rule;

comment on view mart_issues_by_report is 'Check issues of current reports, one row per report and rule, with the report''s prefecture, fiscal year and file, the number of issues and their messages.';
comment on column mart_issues_by_report.source_path is 'Path of the file the report was loaded from: the file to correct.';
comment on column mart_issues_by_report.rule is 'Stable code of the check (amount_identity, total_mismatch …).';
comment on column mart_issues_by_report.rule_label is 'What the check looks at, in Japanese.';
comment on column mart_issues_by_report.severity is 'error or warning.';
comment on column mart_issues_by_report.severity_label is 'severity in Japanese: エラー or 注意.';
comment on column mart_issues_by_report.issues is 'Number of issues of the rule on the report.';
comment on column mart_issues_by_report.messages is 'The issues'' messages in Japanese (where on the form, what is wrong), joined with 「 / 」.';
