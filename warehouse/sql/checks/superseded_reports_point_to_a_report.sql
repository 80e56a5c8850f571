-- A report that is no longer current names the report that replaced it.
select r.report_id, r.superseded_by
from reports r
left join reports successor on successor.report_id = r.superseded_by
where not r.is_current and successor.report_id is null
