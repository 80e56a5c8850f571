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
