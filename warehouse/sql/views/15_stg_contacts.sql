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
comment on column stg_contacts.department is 'Department (所属) of the contact person, as written. Personal data.';
comment on column stg_contacts.person_name is 'Name (氏名) of the contact person. Personal data.';
comment on column stg_contacts.phone is 'Telephone number of the contact, normalised to half-width characters. Personal data.';
comment on column stg_contacts.email is 'E-mail address of the contact. Personal data.';
