-- 経費の内訳: 現行の報告書の経費の内訳（9）の各行。合計行は含まない。
select
    report_id                   as "報告書ID",                -- 行が属する報告書の識別番号（「報告書」の報告書ID） | 文字列
    prefecture_name             as "都道府県",                -- 都道府県名 | 文字列
    fiscal_year                 as "年度",                    -- 報告書の年度（西暦） | 年度（西暦）
    project_title               as "事業名",                  -- 報告書の事業名 | 文字列
    line_no                     as "事業番号",                -- 経費の内訳の行に振られた番号（①＝1） | 番号
    item_name                   as "個別事業名",              -- 個別事業名（記載のまま） | 文字列
    example_number              as "公募要領の取組例（番号）",  -- 公募要領の取組例の番号。数字1つで書かれていない行は空欄 | 番号
    case when example_number is null then example_ref end
                                as "公募要領の取組例（番号以外の記載）", -- 取組例が番号1つでない行の記載（「1・3」など）。番号で書かれた行は空欄 | 文字列
    budget_measure_raw          as "予算措置年度（記載）",    -- 予算措置年度の記載（「3年度当初予算」など） | 文字列
    budget_measure_fiscal_year  as "予算措置年度（西暦）",    -- 予算措置年度を西暦で。読めない記載は空欄 | 年度（西暦）
    budget_measure_kind         as "予算措置の区分",          -- 当初（当初予算）または補正（補正予算）。読めない記載は空欄 | 文字列
    decision_budget_raw         as "交付決定事業（記載）",    -- 交付決定事業の記載（どの年度・予算の交付決定によるか） | 文字列
    decision_budget_fiscal_year as "交付決定事業の年度（西暦）", -- 交付決定事業の年度を西暦で。読めない記載は空欄 | 年度（西暦）
    decision_budget_kind        as "交付決定事業の区分",      -- 当初または補正。読めない記載は空欄 | 文字列
    total_cost                  as "総事業費(A)（円）",       -- 総事業費（A＝B＋C＋D） | 円
    grant_amount                as "本交付金(B)（円）",       -- 本交付金（交付金） | 円
    other_funds                 as "他の寄付金等(C)（円）",   -- 他の寄付金等（空欄は0） | 円
    own_funds                   as "自己資金(D)（円）",       -- 自己資金（都道府県の負担。空欄は0） | 円
    remarks                     as "備考",                    -- 備考（記載のまま） | 文字列
    report_error_issues         as "報告書のエラー件数",      -- 行が属する報告書のエラーの数。1以上なら金額に誤りの疑い | 件
    corrected_fields            as "手で訂正した項目"         -- この行で事務担当者が訂正ファイルで手で訂正した項目（「経費.1.総事業費」など訂正ファイルに書いた項目名）。この行の値は訂正後のもの。空欄はこの行に訂正なし（報告書のほかの項目の訂正は「報告書」の同じ列） | 文字列
from stg_expense_items
left join stg_corrected_expense_rows using (report_id, row_order)
order by fiscal_year, prefecture_code, report_id, row_order
