-- A file gives at most one report.
select source_sha256, count(*) as reports
from reports
group by source_sha256
having count(*) > 1
