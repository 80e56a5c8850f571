-- Staging: the 47 prefectures (seed, 2020 census), one row per prefecture.
create or replace view stg_prefectures as
with

prefectures as (
    select * from prefectures
),

final as (
    select
        prefecture_code,
        name_ja,
        name_en,
        region,
        population,
        female_population
    from prefectures
)

select * from final;

comment on view stg_prefectures is 'The 47 prefectures: JIS code, names, region and 2020 census population, total and female (人口等基本集計).';
