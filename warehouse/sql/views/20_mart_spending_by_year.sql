-- National spending per fiscal year.
create or replace view mart_spending_by_year as
with

items as (
    select * from stg_expense_items
),

final as (
    select
        fiscal_year,
        count(distinct report_id) as projects,
        count(distinct prefecture_code) as prefectures,
        sum(total_cost)::bigint as total_cost,
        sum(grant_amount)::bigint as grant_amount,
        sum(other_funds)::bigint as other_funds,
        sum(own_funds)::bigint as own_funds,
        round(sum(grant_amount) / nullif(sum(total_cost), 0), 4) as grant_share
    from items
    group by fiscal_year
)

select * from final order by fiscal_year;

comment on view mart_spending_by_year is 'National totals per fiscal year (yen): total cost A, grant B, other funds C, own funds D, grant share B/A, projects and reporting prefectures.';
