-- Each project (prefecture, fiscal year, 事業名) has at most one current report.
select prefecture_code, fiscal_year, project_title, count(*) as current_reports
from reports
where is_current
group by all
having count(*) > 1
