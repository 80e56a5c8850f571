-- Data quality: files that could not be loaded.
create or replace view mart_quarantined_files as
with

files as (
    select * from stg_source_files where status = 'quarantined'
),

final as (
    select path, format, size_bytes, reason, reason_code, first_seen_at, last_seen_at, sha256
    from files
)

select * from final order by path;

comment on view mart_quarantined_files is 'Files that could not be loaded, with the reason a clerk can act on (Japanese) and its stable reason_code.';
