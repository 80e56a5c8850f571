-- Staging: the editable activity dictionary (seed).
create or replace view stg_activity_keywords as
with

keywords as (
    select * from activity_keywords
),

final as (
    select
        activity,
        label,
        keyword
    from keywords
)

select * from final;

comment on view stg_activity_keywords is 'The activity dictionary (warehouse/seeds/activity_keywords.csv): which words in a section mark which activity.';
comment on column stg_activity_keywords.activity is 'Stable code of the activity (consultation_sns, ibasho, employment …).';
comment on column stg_activity_keywords.label is 'The activity in Japanese, as the report and exports show it.';
comment on column stg_activity_keywords.keyword is 'A word whose presence in sections 3-8 marks the activity (plain substring match).';
