-- 提出状況: どこかの都道府県の報告書がある年度について、47都道府県それぞれの報告書の有無。
select
    fiscal_year                 as "年度",                    -- 年度（西暦） | 年度（西暦）
    jis_code(prefecture_code)   as "都道府県コード",          -- 都道府県の番号（JIS X 0401）。2桁の文字列 | 文字列
    prefecture_name             as "都道府県",                -- 都道府県名 | 文字列
    region                      as "地方",                    -- 8地方区分 | 文字列
    reports                     as "報告書数",                -- その年度の現行の報告書の数（0は報告書が届いていない） | 件
    case when has_reported then '報告あり' else '報告なし' end
                                as "提出状況"                 -- 報告あり：報告書がある／報告なし：この年度の報告書が届いていない（0円の報告ではない） | 文字列
from mart_coverage
order by fiscal_year, prefecture_code
