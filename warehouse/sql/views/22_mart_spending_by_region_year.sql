-- Spending per region (8 regions) and fiscal year, saying how many of the region's
-- prefectures reported and which population each per-head figure divides by.
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
        count(*) as prefectures_in_region,
        sum(population)::bigint as region_population,
        -- NULL unless the female population of every prefecture of the region is known
        case when count(female_population) = count(*) then sum(female_population)::bigint end
            as region_female_population
    from prefectures
    group by region
),

spending as (
    select
        region,
        fiscal_year,
        count(distinct report_id) as projects,
        count(distinct prefecture_code) as prefectures,
        count(distinct report_id) filter (where report_error_issues > 0) as reports_with_errors,
        sum(total_cost)::bigint as total_cost,
        sum(grant_amount)::bigint as grant_amount,
        sum(other_funds)::bigint as other_funds,
        sum(own_funds)::bigint as own_funds
    from items
    group by region, fiscal_year
),

reporting as (
    select
        region,
        fiscal_year,
        sum(population)::bigint as reporting_population,
        case when count(female_population) = count(*) then sum(female_population)::bigint end
            as reporting_female_population
    from (select distinct region, fiscal_year, prefecture_code from items)
    join prefectures using (region, prefecture_code)
    group by region, fiscal_year
),

final as (
    select
        spending.region,
        spending.fiscal_year,
        spending.projects,
        spending.prefectures,
        regions.prefectures_in_region,
        spending.reports_with_errors,
        spending.total_cost,
        spending.grant_amount,
        spending.other_funds,
        spending.own_funds,
        round(spending.grant_amount / nullif(spending.total_cost, 0), 4) as grant_share,
        regions.region_population,
        round(spending.total_cost / regions.region_population, 2) as cost_per_head,
        reporting.reporting_population,
        round(spending.total_cost / reporting.reporting_population, 2) as cost_per_head_reporting,
        regions.region_female_population,
        round(spending.total_cost / regions.region_female_population, 2) as cost_per_woman,
        reporting.reporting_female_population,
        round(spending.total_cost / reporting.reporting_female_population, 2)
            as cost_per_woman_reporting
    from spending
    join regions using (region)
    join reporting using (region, fiscal_year)
)

select * from final order by fiscal_year, region;

comment on view mart_spending_by_region_year is 'Spending per region (8 regions) and fiscal year (yen) over the region''s prefectures that reported (prefectures of prefectures_in_region), grant share, and per-head and per-woman figures twice: over the whole region''s population and over the reporting prefectures'' population (each divisor is a column). Reports with error issues beside the sums.';
comment on column mart_spending_by_region_year.projects is 'Number of current reports of the region and year.';
comment on column mart_spending_by_region_year.prefectures is 'Number of the region''s prefectures with a current report of the year: the sums cover these only.';
comment on column mart_spending_by_region_year.prefectures_in_region is 'Number of prefectures in the region (e.g. 中部 9): compare with prefectures before reading a sum as the region''s.';
comment on column mart_spending_by_region_year.reports_with_errors is 'Number of the region''s reports of the year with at least one error-severity check issue.';
comment on column mart_spending_by_region_year.total_cost is 'Sum of 総事業費 A over the reporting prefectures, yen.';
comment on column mart_spending_by_region_year.grant_amount is 'Sum of 本交付金 B (the grant), yen.';
comment on column mart_spending_by_region_year.other_funds is 'Sum of 他の寄付金等 C, yen.';
comment on column mart_spending_by_region_year.own_funds is 'Sum of 自己資金 D, yen.';
comment on column mart_spending_by_region_year.grant_share is 'B / A, a fraction from 0 to 1 rounded to 4 places; NULL when A is 0.';
comment on column mart_spending_by_region_year.region_population is 'Population of the whole region (all its prefectures), 2020 census, persons: the divisor of cost_per_head.';
comment on column mart_spending_by_region_year.cost_per_head is 'total_cost / region_population: yen per inhabitant of the whole region, rounded to 2 places. Low when few of the region''s prefectures reported: see prefectures and cost_per_head_reporting.';
comment on column mart_spending_by_region_year.reporting_population is 'Population of the region''s prefectures that reported this year, 2020 census, persons: the divisor of cost_per_head_reporting.';
comment on column mart_spending_by_region_year.cost_per_head_reporting is 'total_cost / reporting_population: yen per inhabitant of the prefectures that reported, rounded to 2 places.';
comment on column mart_spending_by_region_year.region_female_population is 'Female population of the whole region, 2020 census, persons (NULL unless every prefecture''s is sourced): the divisor of cost_per_woman.';
comment on column mart_spending_by_region_year.cost_per_woman is 'total_cost / region_female_population: yen per woman of the whole region, rounded to 2 places.';
comment on column mart_spending_by_region_year.reporting_female_population is 'Female population of the prefectures that reported, 2020 census, persons (NULL unless each is sourced): the divisor of cost_per_woman_reporting.';
comment on column mart_spending_by_region_year.cost_per_woman_reporting is 'total_cost / reporting_female_population: yen per woman of the prefectures that reported, rounded to 2 places.';
