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
        sum(total_cost)::bigint as total_cost,
        sum(grant_amount)::bigint as grant_amount
    from items
    group by all
)

select * from final order by all;

comment on view mart_spending_by_budget is 'Expense items per report year, kind of budget measure (当初/補正), and the fiscal year and kind of the grant decision (交付決定事業): items, total cost and grant (yen).';
