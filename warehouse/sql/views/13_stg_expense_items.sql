-- Staging: expense items of current reports, with prefecture, region and fiscal year.
create or replace view stg_expense_items as
with

items as (
    select * from expense_items
),

reports as (
    select * from stg_reports
),

final as (
    select
        reports.report_id,
        reports.prefecture_code,
        reports.prefecture_name,
        reports.region,
        reports.fiscal_year,
        reports.project_title,
        reports.error_issues as report_error_issues,
        items.row_order,
        items.line_no,
        items.item_name,
        items.example_ref,
        -- the 取組例 as a number where it is one (「5」, 「５」); NULL for anything else
        try_cast(translate(trim(items.example_ref), '０１２３４５６７８９', '0123456789') as integer)
            as example_number,
        items.budget_measure_raw,
        items.budget_measure_fiscal_year,
        items.budget_measure_kind,
        items.decision_budget_raw,
        items.decision_budget_fiscal_year,
        items.decision_budget_kind,
        items.total_cost,
        items.grant_amount,
        items.other_funds,
        items.own_funds,
        items.remarks,
        items.page
    from items
    join reports using (report_id)
)

select * from final;

comment on view stg_expense_items is 'Expense items (rows of section 9 経費の内訳) of current reports, with prefecture, region and fiscal year; amounts in yen.';
comment on column stg_expense_items.report_error_issues is 'Number of error-severity check issues on the item''s report (0 when none): its amounts are in doubt.';
comment on column stg_expense_items.row_order is 'Place of the row in the report''s expense table, from 1 (the 合計 row is not an item).';
comment on column stg_expense_items.line_no is '事業番号 of the row as numbered on the form (① = 1).';
comment on column stg_expense_items.item_name is '個別事業名: the name of the individual activity, as written.';
comment on column stg_expense_items.example_ref is '公募要領の取組例: the number of the example in the call for proposals the activity follows, as written (text).';
comment on column stg_expense_items.example_number is 'example_ref as a whole number where it is one (full-width digits read too); NULL when it is blank or anything else (then example_ref holds what was written).';
comment on column stg_expense_items.budget_measure_raw is '予算措置年度 as written (e.g. 「3年度当初予算」).';
comment on column stg_expense_items.budget_measure_fiscal_year is 'Fiscal year of the budget measure (予算措置年度), Western calendar; NULL when the label could not be read.';
comment on column stg_expense_items.budget_measure_kind is 'Kind of the budget measure: 当初 (initial budget) or 補正 (supplementary budget); NULL when the label could not be read.';
comment on column stg_expense_items.decision_budget_raw is '交付決定事業 as written: the budget of the grant decision the activity was funded under.';
comment on column stg_expense_items.decision_budget_fiscal_year is 'Fiscal year of the grant decision''s budget (交付決定事業), Western calendar; NULL when unreadable.';
comment on column stg_expense_items.decision_budget_kind is 'Kind of the grant decision''s budget: 当初 or 補正; NULL when unreadable.';
comment on column stg_expense_items.total_cost is '総事業費 A of the row, yen (A = B + C + D on a correct form; amount_identity flags where not).';
comment on column stg_expense_items.grant_amount is '本交付金 B of the row: the grant, yen.';
comment on column stg_expense_items.other_funds is '他の寄付金等 C of the row: donations and other funds, yen (0 when blank).';
comment on column stg_expense_items.own_funds is '自己資金 D of the row: the prefecture''s own funds, yen (0 when blank).';
comment on column stg_expense_items.remarks is '備考 of the row, as written.';
comment on column stg_expense_items.page is 'Page of the source PDF the row was read from; NULL for other formats.';
