-- National spending per fiscal year, over the prefectures that reported (a year no prefecture
-- reported has no row: a missing report is never a zero).
create or replace view mart_spending_by_year as
with

items as (
    select * from stg_expense_items
),

prefectures as (
    select * from stg_prefectures
),

nation as (
    select count(*) as prefectures_in_country, sum(population)::bigint as population
    from prefectures
),

spending as (
    select
        fiscal_year,
        count(distinct report_id) as projects,
        count(distinct prefecture_code) as prefectures,
        count(distinct report_id) filter (where report_error_issues > 0) as reports_with_errors,
        sum(total_cost)::bigint as total_cost,
        sum(grant_amount)::bigint as grant_amount,
        sum(other_funds)::bigint as other_funds,
        sum(own_funds)::bigint as own_funds
    from items
    group by fiscal_year
),

final as (
    select
        spending.fiscal_year,
        spending.projects,
        spending.prefectures,
        nation.prefectures_in_country,
        spending.reports_with_errors,
        spending.total_cost,
        spending.grant_amount,
        spending.other_funds,
        spending.own_funds,
        round(spending.grant_amount / nullif(spending.total_cost, 0), 4) as grant_share
    from spending
    cross join nation
)

select * from final order by fiscal_year;

comment on view mart_spending_by_year is 'National totals per fiscal year (yen) over the prefectures that reported (prefectures of prefectures_in_country): total cost A, grant B, other funds C, own funds D, grant share B/A, projects, and reports with error issues beside the sums. Years without any report have no row.';
comment on column mart_spending_by_year.projects is 'Number of current reports of the year (one project each).';
comment on column mart_spending_by_year.prefectures is 'Number of prefectures with at least one current report of the year: the sums cover these only.';
comment on column mart_spending_by_year.prefectures_in_country is 'Number of prefectures in the country (47): the sums cover prefectures of these.';
comment on column mart_spending_by_year.reports_with_errors is 'Number of the year''s reports with at least one error-severity check issue: their amounts are in the sums but in doubt.';
comment on column mart_spending_by_year.total_cost is 'Sum of 総事業費 A over the expense rows of the year''s reports, yen.';
comment on column mart_spending_by_year.grant_amount is 'Sum of 本交付金 B (the grant), yen.';
comment on column mart_spending_by_year.other_funds is 'Sum of 他の寄付金等 C (donations and other funds), yen.';
comment on column mart_spending_by_year.own_funds is 'Sum of 自己資金 D (the prefectures'' own funds), yen.';
comment on column mart_spending_by_year.grant_share is 'Share of the grant in the total cost, B / A, a fraction from 0 to 1 rounded to 4 places (0.7579 = 75.79%); NULL when A is 0.';
