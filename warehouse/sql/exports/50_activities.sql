-- 取組内容: activities per current report.
select
    fiscal_year      as "年度",
    prefecture_code  as "都道府県コード",
    prefecture_name  as "都道府県",
    report_id        as "報告書ID",
    activity_label   as "取組",
    keyword_hits     as "該当語数"
from mart_report_activities
order by fiscal_year, prefecture_code, report_id, activity
