-- Reconciliation, per prefecture and fiscal year: the grant the Cabinet Office says it paid a
-- prefecture (where published) beside the 本交付金 (B) of that prefecture's current reports.
-- A payment of a fiscal year may include carry-over and money passed on to municipalities. An
-- unpublished payment is NULL with the status 支払額の公表なし, never zero; a published payment
-- with no report on file is 報告なし with the reported amount and the difference NULL, never
-- an under-report of zero.
create or replace view mart_reconciliation_prefecture_year as
with

payments as (
    select * from stg_national_payments
),

reports as (
    select * from stg_reports
),

items as (
    select * from stg_expense_items
),

prefectures as (
    select * from stg_prefectures
),

report_grants as (
    select report_id, sum(grant_amount) as grant_amount
    from items
    group by report_id
),

reported as (
    -- one row per prefecture-year with a report on file: a report without expense rows
    -- declares a B of 0, a prefecture-year without a report has no row here
    select
        reports.prefecture_code,
        reports.fiscal_year,
        sum(coalesce(report_grants.grant_amount, 0))::bigint as reported_grant_amount,
        count(*) as reports,
        count(*) filter (where reports.error_issues > 0) as reports_with_errors
    from reports
    left join report_grants using (report_id)
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
        reported.reported_grant_amount,
        coalesce(reported.reports, 0) as reports,
        coalesce(reported.reports_with_errors, 0) as reports_with_errors,
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
            when reported_grant_amount is null then '報告なし'
            when abs(reported_grant_amount - paid_amount) <= tolerance_yen then '報告が支払額と一致'
            when reported_grant_amount < paid_amount then '報告が不足'
            else '報告が超過'
        end as status,
        reports,
        reports_with_errors,
        tolerance_yen,
        paid_sheet,
        source_url
    from joined
)

select * from final order by fiscal_year, prefecture_code;

comment on view mart_reconciliation_prefecture_year is 'Per prefecture and fiscal year: the grant paid (published top-10 recipients only; NULL when not published) beside the 本交付金 (B) of current reports (NULL when no report is on file), the difference (reported - paid) and a status: 報告が支払額と一致 (within the published rounding), 報告が不足, 報告が超過, 報告なし (paid, no report on file: not compared), 支払額の公表なし (reported, payment unpublished: not compared). A payment can include carry-over and money for municipalities.';
comment on column mart_reconciliation_prefecture_year.fiscal_year is 'The fiscal year: of the payment (支出年度) and of the reports compared with it.';
comment on column mart_reconciliation_prefecture_year.paid_amount is 'The grant the Cabinet Office published as paid to the prefecture in the year, yen (rounded as published, see tolerance_yen); NULL when the prefecture is not among the year''s published top-10 recipients (unknown, not zero).';
comment on column mart_reconciliation_prefecture_year.reported_grant_amount is 'Sum of 本交付金 B over the prefecture''s current reports of the year, yen; NULL when no report is on file (status 報告なし), never 0 for a missing report.';
comment on column mart_reconciliation_prefecture_year.difference is 'reported_grant_amount - paid_amount, yen (negative: less reported than paid); NULL unless both are known.';
comment on column mart_reconciliation_prefecture_year.status is '報告が支払額と一致 (|difference| <= tolerance_yen), 報告が不足 (reported less), 報告が超過 (reported more), 報告なし (a published payment, no report on file), 支払額の公表なし (reports on file, payment not published). Only the first three compare amounts.';
comment on column mart_reconciliation_prefecture_year.reports is 'Number of the prefecture''s current reports of the year (0 with status 報告なし).';
comment on column mart_reconciliation_prefecture_year.reports_with_errors is 'Number of those reports with at least one error-severity check issue: their B is in doubt.';
comment on column mart_reconciliation_prefecture_year.tolerance_yen is 'Half the last published digit of paid_amount, yen: the rounding within which a report matches; NULL when unpublished.';
comment on column mart_reconciliation_prefecture_year.paid_sheet is 'The 行政事業レビュー sheet the payment comes from (the latest that lists it); NULL when unpublished.';
comment on column mart_reconciliation_prefecture_year.source_url is 'Address of the published payment data; NULL when unpublished.';
