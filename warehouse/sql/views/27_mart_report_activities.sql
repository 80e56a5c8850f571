-- Activities each current report describes, from the keyword dictionary (seeds).
create or replace view mart_report_activities as
with

sections as (
    select * from stg_report_sections where section_no between 3 and 8
),

keywords as (
    select * from stg_activity_keywords
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
comment on column mart_report_activities.activity is 'Stable code of the activity (the dictionary''s activity).';
comment on column mart_report_activities.activity_label is 'The activity in Japanese.';
comment on column mart_report_activities.keyword_hits is 'Number of (section, dictionary word) pairs that matched: how many of the activity''s words occur, counted once per section of 3-8 that holds them. A strength of evidence, not a count of activities.';
