-- 支払額との照合: per prefecture and fiscal year, what the Cabinet Office published as paid
-- beside the 本交付金 (B) of current reports.
select
    fiscal_year            as "年度",
    prefecture_code        as "都道府県コード",
    prefecture_name        as "都道府県",
    paid_amount            as "内閣府の支払額(円)",
    reported_grant_amount  as "報告の本交付金(B)(円)",
    difference             as "差額(報告-支払)(円)",
    status                 as "照合結果",
    reports                as "報告書数",
    paid_sheet             as "出典シート",
    source_url             as "出典URL"
from mart_reconciliation_prefecture_year
order by fiscal_year, prefecture_code
