-- Staging: the editable activity dictionary (seed).
create or replace view stg_activity_keywords as
with

keywords as (
    select * from activity_keywords
),

final as (
    select * from keywords
)

select * from final;

comment on view stg_activity_keywords is 'The activity dictionary (warehouse/seeds/activity_keywords.csv): which words in a section mark which activity.';
