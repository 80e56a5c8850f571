-- 経費の内訳: expense items of current reports.
select
    report_id                   as "報告書ID",
    prefecture_name             as "都道府県",
    fiscal_year                 as "年度",
    project_title               as "事業名",
    line_no                     as "事業番号",
    item_name                   as "個別事業名",
    example_ref                 as "公募要領の取組例",
    budget_measure_raw          as "予算措置年度",
    budget_measure_fiscal_year  as "予算措置年度(西暦)",
    budget_measure_kind         as "予算区分",
    decision_budget_raw         as "交付決定事業",
    decision_budget_fiscal_year as "交付決定年度(西暦)",
    decision_budget_kind        as "交付決定予算区分",
    total_cost                  as "総事業費(A)",
    grant_amount                as "本交付金(B)",
    other_funds                 as "他の寄付金等(C)",
    own_funds                   as "自己資金(D)",
    remarks                     as "備考"
from stg_expense_items
order by fiscal_year, prefecture_code, report_id, row_order
