-- Every report names one of the 47 prefectures.
select r.report_id, r.prefecture_code
from reports r
left join prefectures p using (prefecture_code)
where p.prefecture_code is null
