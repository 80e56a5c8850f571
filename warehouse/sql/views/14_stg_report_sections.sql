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
