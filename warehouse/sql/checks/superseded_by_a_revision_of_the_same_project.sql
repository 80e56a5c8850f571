-- A current report names no successor, and a superseded report's successor is a revision of
-- the same project (prefecture, fiscal year, 事業名).
select r.report_id, r.is_current, r.superseded_by
from reports r
left join reports successor on successor.report_id = r.superseded_by
where (r.is_current and r.superseded_by is not null)
   or (
       not r.is_current
       and (
           successor.prefecture_code <> r.prefecture_code
           or successor.fiscal_year <> r.fiscal_year
           or successor.project_title <> r.project_title
       )
   )
