-- Reconciliation, per prefecture and fiscal year: the grant the Cabinet Office says it paid a
-- prefecture (where published) beside the 本交付金 (B) of that prefecture's current reports.
-- A payment of a fiscal year may include carry-over and money passed on to municipalities; an
-- unpublished payment is NULL with the status 支払額の公表なし, never zero.
create or replace view mart_reconciliation_prefecture_year as
with

payments as (
    select * from stg_national_payments
),

items as (
    select * from stg_expense_items
),

prefectures as (
    select * from stg_prefectures
),

reported as (
    select
        prefecture_code,
        fiscal_year,
        sum(grant_amount)::bigint as reported_grant_amount,
        count(distinct report_id) as reports
    from items
    group by all
),

keys as (
    select prefecture_code, fiscal_year from payments
    union
    select prefecture_code, fiscal_year from reported
),

joined as (
    select
        keys.prefecture_code,
        prefectures.name_ja as prefecture_name,
        keys.fiscal_year,
        payments.paid_amount,
        coalesce(reported.reported_grant_amount, 0)::bigint as reported_grant_amount,
        coalesce(reported.reports, 0) as reports,
        payments.tolerance_yen,
        payments.sheet as paid_sheet,
        payments.source_url
    from keys
    join prefectures using (prefecture_code)
    left join payments using (prefecture_code, fiscal_year)
    left join reported using (prefecture_code, fiscal_year)
),

final as (
    select
        prefecture_code,
        prefecture_name,
        fiscal_year,
        paid_amount,
        reported_grant_amount,
        (reported_grant_amount - paid_amount)::bigint as difference,
        case
            when paid_amount is null then '支払額の公表なし'
            when abs(reported_grant_amount - paid_amount) <= tolerance_yen then '報告が支払額と一致'
            when reported_grant_amount < paid_amount then '報告が不足'
            else '報告が超過'
        end as status,
        reports,
        tolerance_yen,
        paid_sheet,
        source_url
    from joined
)

select * from final order by fiscal_year, prefecture_code;

comment on view mart_reconciliation_prefecture_year is 'Per prefecture and fiscal year: the grant paid (published top-10 recipients only; NULL when not published) beside the 本交付金 (B) of current reports, the difference (reported - paid) and a status: 報告が支払額と一致 (within the published rounding), 報告が不足, 報告が超過, 支払額の公表なし. A payment can include carry-over and money for municipalities.';
