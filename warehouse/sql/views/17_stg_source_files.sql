-- Staging: every file seen, by content and path.
create or replace view stg_source_files as
with

files as (
    select * from source_files
),

final as (
    select
        sha256,
        path,
        size_bytes,
        format,
        status,
        reason,
        reason_code,
        read_path,
        first_seen_at,
        last_seen_at,
        pipeline_version
    from files
)

select * from final;

comment on view stg_source_files is 'Every file seen (one row per content and path): loaded, duplicate or quarantined with the reason (Japanese) and its stable reason_code, how it was read, when it was first and last seen.';
