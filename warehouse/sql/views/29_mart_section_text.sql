-- Section texts of current reports, for searching.
create or replace view mart_section_text as
with

sections as (
    select * from stg_report_sections
),

final as (
    select report_id, prefecture_name, fiscal_year, project_title, section_no, heading, body
    from sections
    where body is not null
)

select * from final;

comment on view mart_section_text is 'Section texts of current reports for searching, e.g. where body ilike ''%アウトリーチ%''.';
comment on column mart_section_text.section_no is 'Section number of the form, 1-11 (9 and 10 have no text here).';
comment on column mart_section_text.heading is 'The section''s heading as the form printed it.';
comment on column mart_section_text.body is 'The section''s text, as written.';
