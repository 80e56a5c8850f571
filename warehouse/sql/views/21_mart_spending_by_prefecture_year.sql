-- Spending per prefecture and fiscal year, per head and per woman (2020 census).
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
        spending.total_cost,
        spending.grant_amount,
        spending.other_funds,
        spending.own_funds,
        round(spending.grant_amount / nullif(spending.total_cost, 0), 4) as grant_share,
        round(spending.total_cost / prefectures.population, 2) as cost_per_head,
        round(spending.total_cost / prefectures.female_population, 2) as cost_per_woman
    from spending
    join prefectures using (prefecture_code)
)

select * from final order by fiscal_year, prefecture_code;

comment on view mart_spending_by_prefecture_year is 'Spending per prefecture and fiscal year (yen), grant share, cost per head and per woman (2020 census totals and female population, 人口等基本集計).';
