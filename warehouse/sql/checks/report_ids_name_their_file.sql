-- A report's id is its file's: 「R-」 and the first 16 hex digits of the file's SHA-256, then
-- 「-2」, 「-3」 … for the second and later forms of one file.
select report_id, source_sha256
from reports
where not regexp_full_match(report_id, 'R-' || left(source_sha256, 16) || '(-[2-9]|-[1-9][0-9]+)?')
