-- Spending per prefecture and fiscal year, per head and per woman (2020 census). Only
-- prefecture-years with a report have a row: a missing report is never a zero.
create or replace view mart_spending_by_prefecture_year as
with

items as (
    select * from stg_expense_items
),

prefectures as (
    select * from stg_prefectures
),

spending as (
    select
        prefecture_code,
        fiscal_year,
        count(distinct report_id) as projects,
        count(distinct report_id) filter (where report_error_issues > 0) as reports_with_errors,
        sum(total_cost)::bigint as total_cost,
        sum(grant_amount)::bigint as grant_amount,
        sum(other_funds)::bigint as other_funds,
        sum(own_funds)::bigint as own_funds
    from items
    group by prefecture_code, fiscal_year
),

final as (
    select
        spending.prefecture_code,
        prefectures.name_ja as prefecture_name,
        prefectures.region,
        spending.fiscal_year,
        spending.projects,
        spending.reports_with_errors,
        spending.total_cost,
        spending.grant_amount,
        spending.other_funds,
        spending.own_funds,
        round(spending.grant_amount / nullif(spending.total_cost, 0), 4) as grant_share,
        prefectures.population,
        prefectures.female_population,
        round(spending.total_cost / prefectures.population, 2) as cost_per_head,
        round(spending.total_cost / prefectures.female_population, 2) as cost_per_woman
    from spending
    join prefectures using (prefecture_code)
)

select * from final order by fiscal_year, prefecture_code;

comment on view mart_spending_by_prefecture_year is 'Spending per prefecture and fiscal year that has a current report (yen), grant share, cost per head and per woman (2020 census totals and female population, 人口等基本集計), and reports with error issues beside the sums.';
comment on column mart_spending_by_prefecture_year.projects is 'Number of current reports of the prefecture and year (one project each).';
comment on column mart_spending_by_prefecture_year.reports_with_errors is 'Number of these reports with at least one error-severity check issue: their amounts are in the sums but in doubt.';
comment on column mart_spending_by_prefecture_year.total_cost is 'Sum of 総事業費 A over the expense rows of the prefecture''s reports of the year, yen.';
comment on column mart_spending_by_prefecture_year.grant_amount is 'Sum of 本交付金 B (the grant), yen.';
comment on column mart_spending_by_prefecture_year.other_funds is 'Sum of 他の寄付金等 C (donations and other funds), yen.';
comment on column mart_spending_by_prefecture_year.own_funds is 'Sum of 自己資金 D (the prefecture''s own funds), yen.';
comment on column mart_spending_by_prefecture_year.grant_share is 'Share of the grant in the total cost, B / A, a fraction from 0 to 1 rounded to 4 places; NULL when A is 0.';
comment on column mart_spending_by_prefecture_year.population is 'The prefecture''s total population, 2020 census, persons: the divisor of cost_per_head.';
comment on column mart_spending_by_prefecture_year.female_population is 'The prefecture''s female population, 2020 census, persons: the divisor of cost_per_woman (NULL where not sourced).';
comment on column mart_spending_by_prefecture_year.cost_per_head is 'total_cost / population: yen per inhabitant, rounded to 2 places.';
comment on column mart_spending_by_prefecture_year.cost_per_woman is 'total_cost / female_population: yen per woman, rounded to 2 places; NULL where the female population is not sourced.';
