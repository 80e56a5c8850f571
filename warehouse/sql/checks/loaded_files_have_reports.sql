-- A file marked loaded has at least one report (one per form it holds); a report comes from
-- a loaded file.
with loaded as (
    select distinct sha256 from source_files where status = 'loaded'
)
select coalesce(l.sha256, r.source_sha256) as sha256, count(r.report_id) as reports
from loaded l
full outer join reports r on r.source_sha256 = l.sha256
group by all
having count(r.report_id) < 1 or bool_or(l.sha256 is null)
