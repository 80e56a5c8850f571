-- Staging: each expense row with a cell a clerk corrected by hand, and which (the expense
-- export's marker of corrected values, issue 23).
create or replace view stg_corrected_expense_rows as
with

corrections as (
    select * from stg_corrections where expense_row_order is not null
),

final as (
    select
        report_id,
        expense_row_order as row_order,
        string_agg(distinct field, '、' order by field) as corrected_fields
    from corrections
    group by report_id, expense_row_order
)

select * from final;

comment on view stg_corrected_expense_rows is 'One row per expense row (expense_items) with a cell corrected by hand: the fields corrected. A fix whose row could not be told (stg_corrections.expense_row_order NULL) marks its report only (stg_corrected_reports).';
comment on column stg_corrected_expense_rows.row_order is 'The row''s place in its report''s expense table (expense_items.row_order).';
comment on column stg_corrected_expense_rows.corrected_fields is 'The fields of this row corrected, as the corrections files name them (経費.1.総事業費 …), joined with 「、」.';
