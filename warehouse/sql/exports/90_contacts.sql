-- 担当者 (personal data): exported only with --include-contacts.
select
    report_id        as "報告書ID",
    prefecture_name  as "都道府県",
    fiscal_year      as "年度",
    department       as "所属部署",
    person_name      as "氏名",
    phone            as "電話番号",
    email            as "電子メールアドレス"
from stg_contacts
order by fiscal_year, prefecture_code
