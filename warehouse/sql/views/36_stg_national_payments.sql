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
