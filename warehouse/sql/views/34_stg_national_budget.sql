-- Staging: the grant's budget line as the Cabinet Office published it, one figure per fiscal
-- year: the latest sheet's value (sheets revise earlier years slightly).
create or replace view stg_national_budget as
with

budget as (
    select * from national_budget
),

final as (
    select fiscal_year, figure, amount_yen, published_value, published_unit, sheet, note, source_url
    from budget
    qualify row_number() over (partition by fiscal_year, figure order by sheet_order desc) = 1
)

select * from final;

comment on view stg_national_budget is 'The budget line of 地域女性活躍推進交付金 (内閣府「女性活躍促進に向けた取組に必要な経費」, 行政事業レビュー) per fiscal year and figure (当初予算, 補正予算, 予算計, 執行額 …), from the latest sheet that publishes it, in yen, with the sheet and source address.';

comment on column stg_national_budget.figure is 'Which figure of the budget line: 要求額, 当初予算, 補正予算, 前年度から繰越し, 翌年度へ繰越し, 予備費等, 予算計 (budget total), 執行額 (executed).';
comment on column stg_national_budget.amount_yen is 'The figure in yen (published in 百万円 or 円; converted exactly).';
comment on column stg_national_budget.published_value is 'The value as the sheet publishes it, text.';
comment on column stg_national_budget.published_unit is 'The unit the sheet publishes it in (百万円 or 円).';
comment on column stg_national_budget.sheet is 'The 行政事業レビュー sheet the figure comes from (its year, e.g. 2023, RS2024): the latest that publishes it.';
comment on column stg_national_budget.note is 'The sheet''s note on the figure, if any.';
comment on column stg_national_budget.source_url is 'Address of the published data the figure was taken from.';
comment on column stg_national_budget.fiscal_year is 'The fiscal year the figure is for (Western year it starts in).';
