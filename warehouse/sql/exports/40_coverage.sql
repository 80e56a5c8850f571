-- 提出状況: every prefecture for every reported fiscal year.
select
    fiscal_year      as "年度",
    prefecture_code  as "都道府県コード",
    prefecture_name  as "都道府県",
    region           as "地方",
    reports          as "報告書数",
    case when has_reported then '提出' else '未提出' end as "提出状況"
from mart_coverage
order by fiscal_year, prefecture_code
