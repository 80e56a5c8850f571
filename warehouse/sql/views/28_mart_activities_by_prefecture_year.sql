-- Number of current reports per activity, prefecture and fiscal year.
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

comment on view mart_activities_by_prefecture_year is 'Number of current reports describing each activity, per prefecture and fiscal year (only activities found have a row).';
comment on column mart_activities_by_prefecture_year.activity is 'Stable code of the activity.';
comment on column mart_activities_by_prefecture_year.activity_label is 'The activity in Japanese.';
comment on column mart_activities_by_prefecture_year.reports is 'Number of the prefecture''s current reports of the year whose sections 3-8 describe the activity.';
