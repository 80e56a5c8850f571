-- 報告書: one row per current report.
select
    report_id               as "報告書ID",
    prefecture_code         as "都道府県コード",
    prefecture_name         as "都道府県",
    region                  as "地方",
    fiscal_year             as "年度",
    project_title           as "事業名",
    period_start            as "実施期間開始",
    period_end              as "実施期間終了",
    amount_unit             as "記載単位",
    declared_total_cost     as "総事業費(A)",
    declared_grant_amount   as "本交付金(B)",
    declared_other_funds    as "他の寄付金等(C)",
    declared_own_funds      as "自己資金(D)",
    source_sha256           as "ファイルSHA256"
from stg_reports
order by fiscal_year, prefecture_code, project_title
