-- Reconciliation, per fiscal year: what the reports account for beside what the state spent.
-- It compares the Cabinet Office's executed amount (執行額) of the whole budget line, which
-- can include carry-over and payments to municipalities and (in FY2013-2015 sheets) model
-- projects, with the 本交付金 (B) the prefectures' current reports declare for their own
-- projects. An unpublished figure is NULL, never zero; a year without a report on file has a
-- NULL reported amount and share, never zero.
create or replace view mart_reconciliation_national_year as
with

budget as (
    select * from stg_national_budget
),

participation as (
    select * from stg_national_participation
),

by_prefecture as (
    select * from mart_reconciliation_prefecture_year
),

executed as (
    select fiscal_year, amount_yen as executed_amount, sheet as executed_sheet, source_url
    from budget
    where figure = '執行額'
),

budgeted as (
    select fiscal_year, amount_yen as budget_total
    from budget
    where figure = '予算計'
),

reported as (
    -- the prefecture-years with a report on file, summed (the prefecture view has one row
    -- for every prefecture-year with a report, paid or not)
    select
        fiscal_year,
        sum(reported_grant_amount)::bigint as reported_grant_amount,
        count(*) as prefectures_reporting,
        sum(reports)::bigint as reports,
        sum(reports_with_errors)::bigint as reports_with_errors
    from by_prefecture
    where reports > 0
    group by fiscal_year
),

paid as (
    select
        fiscal_year,
        count(*) as prefectures_paid_published,
        count(*) filter (where status = '報告なし') as prefectures_paid_without_report,
        coalesce(sum(paid_amount) filter (where status = '報告なし'), 0)::bigint
            as paid_without_report
    from by_prefecture
    where paid_amount is not null
    group by fiscal_year
),

years as (
    select fiscal_year from executed
    union
    select fiscal_year from reported
),

final as (
    select
        years.fiscal_year,
        budgeted.budget_total,
        executed.executed_amount,
        reported.reported_grant_amount,
        round(reported.reported_grant_amount / nullif(executed.executed_amount, 0), 4)
            as reported_share,
        coalesce(reported.prefectures_reporting, 0) as prefectures_reporting,
        participation.prefectures_running as prefectures_running_published,
        coalesce(reported.reports, 0) as reports,
        coalesce(reported.reports_with_errors, 0) as reports_with_errors,
        paid.prefectures_paid_published,
        paid.prefectures_paid_without_report,
        paid.paid_without_report,
        executed.executed_sheet,
        executed.source_url
    from years
    left join executed using (fiscal_year)
    left join budgeted using (fiscal_year)
    left join reported using (fiscal_year)
    left join participation using (fiscal_year)
    left join paid using (fiscal_year)
)

select * from final order by fiscal_year;

comment on view mart_reconciliation_national_year is 'Per fiscal year: the budget line''s executed amount (執行額, latest sheet; it includes carry-over, municipalities and other spending of the line) beside the 本交付金 (B) of current reports (NULL in a year without any report on file), the share reported, the prefectures reporting beside those published as running the grant (FY2015-2019), and the published payments to prefectures with no report on file (報告なし). NULL where nothing is published or reported.';
comment on column mart_reconciliation_national_year.fiscal_year is 'The fiscal year of the budget figures and of the reports.';
comment on column mart_reconciliation_national_year.budget_total is 'The budget line''s 予算計 (initial + supplementary + carry-over …), yen, from the latest sheet; NULL when unpublished.';
comment on column mart_reconciliation_national_year.executed_amount is 'The budget line''s 執行額 (executed amount), yen, from the latest sheet; it covers more than the grant to prefectures (carry-over, municipalities, model projects in FY2013-2015); NULL when unpublished.';
comment on column mart_reconciliation_national_year.reported_grant_amount is 'Sum of 本交付金 B over the current reports of the year, yen, from prefectures_reporting prefectures only; NULL when no report of the year is on file (never 0 for missing reports).';
comment on column mart_reconciliation_national_year.reported_share is 'reported_grant_amount / executed_amount, a fraction rounded to 4 places; NULL when either is unknown or the executed amount is 0. With few prefectures reporting it says how much of the spending the warehouse holds, not how much was under-spent.';
comment on column mart_reconciliation_national_year.prefectures_reporting is 'Number of prefectures (of 47) with a current report of the year on file: the reported sum covers these.';
comment on column mart_reconciliation_national_year.prefectures_running_published is 'Number of prefectures running the grant in the year as the sheets publish it (FY2015-2019 only; NULL otherwise).';
comment on column mart_reconciliation_national_year.reports is 'Number of current reports of the year.';
comment on column mart_reconciliation_national_year.reports_with_errors is 'Number of those reports with at least one error-severity check issue: their B is in doubt.';
comment on column mart_reconciliation_national_year.prefectures_paid_published is 'Number of prefectures with a published payment for the year (the sheets list only the top-10 recipients); NULL when none is published.';
comment on column mart_reconciliation_national_year.prefectures_paid_without_report is 'Of those, the number with no report on file (status 報告なし in mart_reconciliation_prefecture_year); NULL when no payment is published.';
comment on column mart_reconciliation_national_year.paid_without_report is 'Sum of the published payments to prefectures with no report on file, yen: spending the warehouse cannot account for yet (0 when every paid prefecture reported); NULL when no payment is published.';
comment on column mart_reconciliation_national_year.executed_sheet is 'The 行政事業レビュー sheet the executed amount comes from (the latest that publishes it).';
comment on column mart_reconciliation_national_year.source_url is 'Address of the published budget data.';
