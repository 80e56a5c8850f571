-- Staging: what the Cabinet Office paid each prefecture under the grant (group A of the
-- sheets' top-10 lists), per payment fiscal year, from the latest sheet that lists it.
create or replace view stg_national_payments as
with

payments as (
    select * from national_payments
    where payment_group = 'A' and prefecture_code is not null
),

final as (
    select
        prefecture_code,
        payment_fiscal_year as fiscal_year,
        amount_yen as paid_amount,
        tolerance_yen,
        published_value,
        published_unit,
        rank,
        sheet,
        source_url
    from payments
    qualify row_number() over (
        partition by prefecture_code, payment_fiscal_year order by sheet_order desc
    ) = 1
)

select * from final;

comment on view stg_national_payments is 'The grant paid to a prefecture in a fiscal year, where the Cabinet Office published it (only the top 10 recipients each year: a prefecture not listed is unknown, not zero); tolerance_yen is half the last published digit.';

comment on column stg_national_payments.fiscal_year is 'The fiscal year of the payment (支出年度).';
comment on column stg_national_payments.paid_amount is 'The grant paid to the prefecture in the year, yen, as published (rounded: see tolerance_yen).';
comment on column stg_national_payments.tolerance_yen is 'Half the last published digit, yen (e.g. 50,000 for a value published to 0.1 百万円): a reported amount within this of paid_amount matches it.';
comment on column stg_national_payments.published_value is 'The amount as the sheet publishes it, text.';
comment on column stg_national_payments.published_unit is 'The unit the sheet publishes it in (百万円 or 円).';
comment on column stg_national_payments.rank is 'The recipient''s rank in the sheet''s top-10 list of the year.';
comment on column stg_national_payments.sheet is 'The 行政事業レビュー sheet the payment comes from (the latest that lists it).';
comment on column stg_national_payments.source_url is 'Address of the published data.';
