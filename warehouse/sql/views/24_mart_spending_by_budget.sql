-- Spending per kind of budget (当初/補正) and the fiscal year of the grant decision.
create or replace view mart_spending_by_budget as
with

items as (
    select * from stg_expense_items
),

final as (
    select
        fiscal_year,
        coalesce(budget_measure_kind, '(不明)') as budget_measure_kind,
        decision_budget_fiscal_year,
        coalesce(decision_budget_kind, '(不明)') as decision_budget_kind,
        count(*) as items,
        count(distinct report_id) filter (where report_error_issues > 0) as reports_with_errors,
        sum(total_cost)::bigint as total_cost,
        sum(grant_amount)::bigint as grant_amount
    from items
    group by all
)

select * from final order by all;

comment on view mart_spending_by_budget is 'Expense items per report year, kind of budget measure (当初/補正), and the fiscal year and kind of the grant decision (交付決定事業): items, reports with error issues, total cost and grant (yen).';
comment on column mart_spending_by_budget.budget_measure_kind is 'Kind of the 予算措置年度: 当初 (initial budget), 補正 (supplementary budget), or (不明) where the label could not be read.';
comment on column mart_spending_by_budget.decision_budget_fiscal_year is 'Fiscal year of the grant decision''s budget (交付決定事業), Western calendar; NULL where unreadable.';
comment on column mart_spending_by_budget.decision_budget_kind is 'Kind of the grant decision''s budget: 当初, 補正, or (不明) where unreadable.';
comment on column mart_spending_by_budget.items is 'Number of expense rows.';
comment on column mart_spending_by_budget.reports_with_errors is 'Number of reports among these rows with at least one error-severity check issue.';
comment on column mart_spending_by_budget.total_cost is 'Sum of 総事業費 A over the rows, yen.';
comment on column mart_spending_by_budget.grant_amount is 'Sum of 本交付金 B over the rows, yen.';
