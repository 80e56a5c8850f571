-- Each project (prefecture, fiscal year, 事業名) that has reports has exactly one current
-- report: revisions never leave a project without one.
select prefecture_code, fiscal_year, project_title, count(*) filter (where is_current) as current
from reports
group by all
having count(*) filter (where is_current) <> 1
