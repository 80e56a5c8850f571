-- 出典: 照合に使った内閣府の公表データ（行政事業レビューシート）と、その場所。
with

budget as (
    select * from stg_national_budget
),

payments as (
    select * from stg_national_payments
),

sources as (
    select distinct sheet, '予算・執行額' as figures, source_url from budget
    union
    select distinct sheet, '支出先上位10（都道府県への支払額）', source_url from payments
)

select
    sheet                       as "出典シート",              -- 行政事業レビューシートの年度（2015～2023）または RS システムの年度（RS2024 など） | 文字列
    figures                     as "使った数値",              -- そのシートから使った数値：予算・執行額、または支出先上位10（都道府県への支払額） | 文字列
    source_url                  as "公表データの場所"         -- 公表データ（JSON）のアドレス | 文字列
from sources
order by "出典シート", "使った数値"
