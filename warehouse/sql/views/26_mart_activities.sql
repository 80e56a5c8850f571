-- Activities each current report describes, from the keyword dictionary (seeds).
create or replace view mart_report_activities as
with

sections as (
    select * from stg_report_sections where section_no between 3 and 8
),

keywords as (
    select * from activity_keywords
),

final as (
    select
        sections.report_id,
        sections.prefecture_code,
        sections.prefecture_name,
        sections.fiscal_year,
        keywords.activity,
        keywords.label as activity_label,
        count(*) as keyword_hits
    from sections
    join keywords on contains(sections.body, keywords.keyword)
    group by all
)

select * from final order by fiscal_year, prefecture_code, activity;

comment on view mart_report_activities is 'One row per current report and activity its sections 3-8 describe, by the editable keyword dictionary (warehouse/seeds/activity_keywords.csv).';

create or replace view mart_activities_by_prefecture_year as
with

tagged as (
    select * from mart_report_activities
),

final as (
    select
        prefecture_code,
        prefecture_name,
        fiscal_year,
        activity,
        activity_label,
        count(distinct report_id) as reports
    from tagged
    group by all
)

select * from final order by fiscal_year, prefecture_code, activity;

comment on view mart_activities_by_prefecture_year is 'Number of current reports describing each activity, per prefecture and fiscal year.';

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
