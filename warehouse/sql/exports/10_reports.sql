-- 報告書: one row per current report.
select
    r.report_id                as "報告書ID",
    r.prefecture_code          as "都道府県コード",
    p.name_ja                  as "都道府県",
    p.region                   as "地方",
    r.fiscal_year              as "年度",
    r.project_title            as "事業名",
    r.period_start             as "実施期間開始",
    r.period_end               as "実施期間終了",
    r.amount_unit              as "記載単位",
    r.declared_total_cost      as "総事業費(A)",
    r.declared_grant_amount    as "本交付金(B)",
    r.declared_other_funds     as "他の寄付金等(C)",
    r.declared_own_funds       as "自己資金(D)",
    r.source_sha256            as "ファイルSHA256"
from reports r
join prefectures p using (prefecture_code)
where r.is_current
order by r.fiscal_year, r.prefecture_code, r.project_title
