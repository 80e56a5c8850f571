-- Spending per 公募要領の取組例 and fiscal year.
create or replace view mart_spending_by_example as
with

items as (
    select * from stg_expense_items
),

final as (
    select
        fiscal_year,
        coalesce(example_ref, '(未記入)') as example_ref,
        count(*) as items,
        count(distinct report_id) as projects,
        sum(total_cost)::bigint as total_cost,
        sum(grant_amount)::bigint as grant_amount
    from items
    group by all
)

select * from final order by fiscal_year, example_ref;

comment on view mart_spending_by_example is 'Expense items per 公募要領の取組例 (as written) and fiscal year: items, projects, total cost and grant (yen).';
