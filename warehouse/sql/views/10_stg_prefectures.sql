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
comment on column stg_prefectures.name_ja is 'Prefecture name in Japanese (北海道, 青森県 …).';
comment on column stg_prefectures.name_en is 'Prefecture name in English (Hokkaido, Aomori …).';
comment on column stg_prefectures.population is 'Total population, 2020 census final figures (令和2年国勢調査), persons: the divisor of every per-head figure.';
comment on column stg_prefectures.female_population is 'Female population, 2020 census (人口等基本集計 表2-7-1), persons: the divisor of every per-woman figure; NULL where not sourced (never estimated).';
