-- Data quality: check issues of current reports.
create or replace view mart_issues_by_rule_prefecture as
with

issues as (
    select * from stg_validation_issues where is_current
),

final as (
    select
        rule,
        rule_label,
        severity,
        prefecture_code,
        prefecture_name,
        fiscal_year,
        count(*) as issues
    from issues
    group by all
)

select * from final order by rule, prefecture_code, fiscal_year;

comment on view mart_issues_by_rule_prefecture is 'Check issues of current reports per rule, severity, prefecture and fiscal year.';

comment on column mart_issues_by_rule_prefecture.rule is 'Stable code of the check (amount_identity, total_mismatch …).';
comment on column mart_issues_by_rule_prefecture.rule_label is 'What the check looks at, in Japanese.';
comment on column mart_issues_by_rule_prefecture.severity is 'error or warning.';
comment on column mart_issues_by_rule_prefecture.issues is 'Number of issues of the rule on the prefecture''s current reports of the year.';
