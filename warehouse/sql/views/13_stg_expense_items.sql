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
        items.row_order,
        items.line_no,
        items.item_name,
        items.example_ref,
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

comment on view stg_expense_items is 'Expense items of current reports, with prefecture, region and fiscal year (yen).';
