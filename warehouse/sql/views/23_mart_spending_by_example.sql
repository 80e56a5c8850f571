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
        example_number,
        count(*) as items,
        count(distinct report_id) as projects,
        count(distinct report_id) filter (where report_error_issues > 0) as reports_with_errors,
        sum(total_cost)::bigint as total_cost,
        sum(grant_amount)::bigint as grant_amount
    from items
    group by all
)

select * from final order by fiscal_year, example_ref;

comment on view mart_spending_by_example is 'Expense items per 公募要領の取組例 (as written) and fiscal year: items, projects, reports with error issues, total cost and grant (yen).';
comment on column mart_spending_by_example.example_ref is '公募要領の取組例 as written on the rows (text); (未記入) where the cell was blank.';
comment on column mart_spending_by_example.example_number is 'example_ref as a whole number where it is one; NULL otherwise.';
comment on column mart_spending_by_example.items is 'Number of expense rows.';
comment on column mart_spending_by_example.projects is 'Number of current reports with such rows.';
comment on column mart_spending_by_example.reports_with_errors is 'Number of those reports with at least one error-severity check issue.';
comment on column mart_spending_by_example.total_cost is 'Sum of 総事業費 A over the rows, yen.';
comment on column mart_spending_by_example.grant_amount is 'Sum of 本交付金 B over the rows, yen.';
