-- 取組内容: 現行の報告書ごとに、項目3～8の本文から辞書で見つけた取組。
select
    fiscal_year                 as "年度",                    -- 報告書の年度（西暦） | 年度（西暦）
    jis_code(prefecture_code)   as "都道府県コード",          -- 都道府県の番号（JIS X 0401）。2桁の文字列 | 文字列
    prefecture_name             as "都道府県",                -- 都道府県名 | 文字列
    report_id                   as "報告書ID",                -- 報告書の識別番号 | 文字列
    activity_label              as "取組",                    -- 取組の種類（辞書 activity_keywords.csv による） | 文字列
    keyword_hits                as "取組を示す語の一致数"     -- 項目3～8の本文に、その取組を示す辞書の語が見つかった数（項目ごと・語ごとに1）。多いほど記述が多い | 件
from mart_report_activities
order by fiscal_year, prefecture_code, report_id, activity
