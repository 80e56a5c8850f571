-- A file has one identity (issue 23): the resolved path that names it. Runs used to record
-- paths as they were given, so `make sample` (data/sample/x.pdf) and the scheduled run, which
-- is handed absolute paths (/srv/jokatsu/data/sample/x.pdf), recorded the same file twice: a
-- second row, `duplicate` of itself or quarantined again, in source_files and every view
-- built on it. Each relative path is resolved — to the absolute path the same content was
-- also recorded under when that path ends in it, else from the working directory of the run
-- that migrates (temp.recorded_paths, filled by warehouse/migrations.py: jokatsu is run from
-- its checkout) — and rows that then name the same file are merged into one: loaded if any
-- of them was, else the latest; first seen the earliest, last seen the latest.
create temp table path_identity as
with relative as (
    select distinct sha256, path from source_files where not starts_with(path, '/')
), paired as (
    select r.sha256, r.path, min(a.path) as resolved
    from relative r
    join source_files a
        on a.sha256 = r.sha256 and starts_with(a.path, '/') and ends_with(a.path, '/' || r.path)
    group by all
)
select r.sha256, r.path, coalesce(p.resolved, rp.resolved, r.path) as resolved
from relative r
left join paired p on p.sha256 = r.sha256 and p.path = r.path
left join temp.recorded_paths rp on rp.path = r.path;

create temp table merged_files as
with named as (
    select f.* replace (coalesce(i.resolved, f.path) as path)
    from source_files f
    left join path_identity i on i.sha256 = f.sha256 and i.path = f.path
), ranked as (
    select
        *,
        row_number() over (
            partition by sha256, path order by status = 'loaded' desc, last_seen_at desc
        ) as pick,
        min(first_seen_at) over (partition by sha256, path) as earliest,
        max(last_seen_at) over (partition by sha256, path) as latest
    from named
)
select * exclude (pick, earliest, latest) replace (earliest as first_seen_at, latest as last_seen_at)
from ranked
where pick = 1;

delete from source_files;
insert into source_files by name select * from merged_files;

-- a duplicate names the file it repeats: by its resolved path too
update source_files set reason = i.resolved || ' と同じ内容です'
from path_identity i
where source_files.reason_code = 'duplicate' and source_files.sha256 = i.sha256
    and source_files.reason = i.path || ' と同じ内容です';

drop table merged_files;
drop table path_identity;
