-- 担当者 (personal data): exported only with --include-contacts.
select
    c.report_id    as "報告書ID",
    p.name_ja      as "都道府県",
    r.fiscal_year  as "年度",
    c.department   as "所属部署",
    c.person_name  as "氏名",
    c.phone        as "電話番号",
    c.email        as "電子メールアドレス"
from contacts c
join reports r using (report_id)
join prefectures p using (prefecture_code)
where r.is_current
order by r.fiscal_year, r.prefecture_code
