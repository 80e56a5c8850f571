-- Staging: the contact of each current report (personal data: exported only on request).
create or replace view stg_contacts as
with

contacts as (
    select * from contacts
),

reports as (
    select * from stg_reports
),

final as (
    select
        contacts.report_id,
        reports.prefecture_code,
        reports.prefecture_name,
        reports.fiscal_year,
        contacts.department,
        contacts.person_name,
        contacts.phone,
        contacts.email
    from contacts
    join reports using (report_id)
)

select * from final;

comment on view stg_contacts is 'Personal data: the 担当者 of each current report (department, name, phone, e-mail); left out of exports unless asked for.';
