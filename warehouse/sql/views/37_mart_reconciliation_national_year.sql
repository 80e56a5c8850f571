-- Reconciliation, per fiscal year: what the reports account for beside what the state spent.
-- It compares the Cabinet Office's executed amount (執行額) of the whole budget line, which
-- can include carry-over and payments to municipalities and (in FY2013-2015 sheets) model
-- projects, with the 本交付金 (B) the prefectures' current reports declare for their own
-- projects. An unpublished figure is NULL, never zero.
create or replace view mart_reconciliation_national_year as
with

budget as (
    select * from stg_national_budget
),

participation as (
    select * from stg_national_participation
),

items as (
    select * from stg_expense_items
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
    select
        fiscal_year,
        sum(grant_amount)::bigint as reported_grant_amount,
        count(distinct prefecture_code) as prefectures_reporting,
        count(distinct report_id) as reports
    from items
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
        coalesce(reported.reported_grant_amount, 0)::bigint as reported_grant_amount,
        round(
            coalesce(reported.reported_grant_amount, 0) / nullif(executed.executed_amount, 0), 4
        ) as reported_share,
        coalesce(reported.prefectures_reporting, 0) as prefectures_reporting,
        participation.prefectures_running as prefectures_running_published,
        coalesce(reported.reports, 0) as reports,
        executed.executed_sheet,
        executed.source_url
    from years
    left join executed using (fiscal_year)
    left join budgeted using (fiscal_year)
    left join reported using (fiscal_year)
    left join participation using (fiscal_year)
)

select * from final order by fiscal_year;

comment on view mart_reconciliation_national_year is 'Per fiscal year: the budget line''s executed amount (執行額, latest sheet; it includes carry-over, municipalities and other spending of the line) beside the 本交付金 (B) of current reports, the share reported, prefectures reporting beside those published as running the grant (FY2015-2019). NULL where nothing is published.';
