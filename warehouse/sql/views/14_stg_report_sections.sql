-- Staging: section texts of current reports (section 10, the contact, has no body here).
create or replace view stg_report_sections as
with

sections as (
    select * from report_sections
),

reports as (
    select * from stg_reports
),

final as (
    select
        reports.report_id,
        reports.prefecture_code,
        reports.prefecture_name,
        reports.fiscal_year,
        reports.project_title,
        sections.section_no,
        sections.heading,
        sections.body
    from sections
    join reports using (report_id)
)

select * from final;

comment on view stg_report_sections is 'Section headings and bodies of current reports; the contact block (10) is left out.';
comment on column stg_report_sections.section_no is 'Section number of the form, 1-11 (1 事業名 … 11 連携工程).';
comment on column stg_report_sections.heading is 'The section''s heading as the form printed it.';
comment on column stg_report_sections.body is 'The section''s text; NULL for 9 (its content is stg_expense_items) and 10 (the contact: personal data, only in stg_contacts).';
