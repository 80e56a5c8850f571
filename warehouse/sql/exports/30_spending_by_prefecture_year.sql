-- 都道府県別・年度別の事業費: 報告書のある都道府県・年度ごとに1行（報告書のない年度の行はない）。
select
    fiscal_year                 as "年度",                    -- 報告書の年度（西暦） | 年度（西暦）
    jis_code(prefecture_code)   as "都道府県コード",          -- 都道府県の番号（JIS X 0401）。2桁の文字列 | 文字列
    prefecture_name             as "都道府県",                -- 都道府県名 | 文字列
    region                      as "地方",                    -- 8地方区分 | 文字列
    projects                    as "報告書数",                -- その年度の現行の報告書（事業）の数 | 件
    reports_with_errors         as "エラーのある報告書数",    -- そのうちチェックでエラーが見つかった報告書の数。1以上なら合計に誤りの疑い | 件
    total_cost                  as "総事業費(A)（円）",       -- 経費の内訳の各行の総事業費の合計 | 円
    grant_amount                as "本交付金(B)（円）",       -- 本交付金の合計 | 円
    other_funds                 as "他の寄付金等(C)（円）",   -- 他の寄付金等の合計 | 円
    own_funds                   as "自己資金(D)（円）",       -- 自己資金の合計 | 円
    round(100 * grant_share, 2) as "交付金割合(B/A)（%）",    -- 総事業費に占める本交付金の割合（パーセント、小数2桁）。総事業費が0なら空欄 | %
    population                  as "人口（人）",              -- 2020年国勢調査の総人口：一人当たり事業費の割る数 | 人
    cost_per_head               as "人口一人当たり総事業費（円/人）", -- 総事業費 ÷ 人口（小数2桁） | 円/人
    female_population           as "女性人口（人）",          -- 2020年国勢調査の女性人口：女性一人当たり事業費の割る数 | 人
    cost_per_woman              as "女性一人当たり総事業費（円/人）" -- 総事業費 ÷ 女性人口（小数2桁） | 円/人
from mart_spending_by_prefecture_year
order by fiscal_year, prefecture_code
