-- Staging: the number of prefectures running the grant, as published (FY2015-2019 only).
create or replace view stg_national_participation as
with

participation as (
    select * from national_participation
    where indicator = '地域女性活躍推進交付金事業を行っている都道府県数'
),

final as (
    select fiscal_year, actual::integer as prefectures_running, sheet, source_url
    from participation
    where actual is not null
    qualify row_number() over (partition by fiscal_year order by sheet_order desc) = 1
)

select * from final;

comment on view stg_national_participation is 'Prefectures running 地域女性活躍推進交付金 per fiscal year (活動実績, latest sheet); published for FY2015-2019 only.';

comment on column stg_national_participation.fiscal_year is 'The fiscal year the count is for.';
comment on column stg_national_participation.prefectures_running is 'Number of prefectures running the grant in the year, as the sheet''s 活動実績 publishes it.';
comment on column stg_national_participation.sheet is 'The 行政事業レビュー sheet the count comes from (the latest that publishes it).';
comment on column stg_national_participation.source_url is 'Address of the published data.';
