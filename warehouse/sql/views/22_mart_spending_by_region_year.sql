-- Spending per region (8 regions) and fiscal year.
create or replace view mart_spending_by_region_year as
with

items as (
    select * from stg_expense_items
),

prefectures as (
    select * from stg_prefectures
),

regions as (
    select
        region,
        sum(population)::bigint as population,
        -- NULL unless the female population of every prefecture of the region is known
        case when count(female_population) = count(*) then sum(female_population)::bigint end
            as female_population
    from prefectures
    group by region
),

spending as (
    select
        region,
        fiscal_year,
        count(distinct report_id) as projects,
        count(distinct prefecture_code) as prefectures,
        sum(total_cost)::bigint as total_cost,
        sum(grant_amount)::bigint as grant_amount,
        sum(other_funds)::bigint as other_funds,
        sum(own_funds)::bigint as own_funds
    from items
    group by region, fiscal_year
),

final as (
    select
        spending.region,
        spending.fiscal_year,
        spending.projects,
        spending.prefectures,
        spending.total_cost,
        spending.grant_amount,
        spending.other_funds,
        spending.own_funds,
        round(spending.grant_amount / nullif(spending.total_cost, 0), 4) as grant_share,
        round(spending.total_cost / regions.population, 2) as cost_per_head,
        round(spending.total_cost / regions.female_population, 2) as cost_per_woman
    from spending
    join regions using (region)
)

select * from final order by fiscal_year, region;

comment on view mart_spending_by_region_year is 'Spending per region (8 regions) and fiscal year (yen), grant share, cost per head of the whole region and per woman (NULL unless every prefecture''s female population is sourced).';
