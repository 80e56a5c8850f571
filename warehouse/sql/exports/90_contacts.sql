-- 担当者: 個人情報。--include-contacts を指定したときだけ書き出す。
select
    report_id                   as "報告書ID",                -- 報告書の識別番号 | 文字列
    jis_code(prefecture_code)   as "都道府県コード",          -- 都道府県の番号（JIS X 0401）。2桁の文字列 | 文字列
    prefecture_name             as "都道府県",                -- 都道府県名 | 文字列
    fiscal_year                 as "年度",                    -- 報告書の年度（西暦） | 年度（西暦）
    department                  as "所属部署",                -- 10 担当者の所属（個人情報） | 文字列
    person_name                 as "氏名",                    -- 担当者の氏名（個人情報） | 文字列
    phone                       as "電話番号",                -- 担当者の電話番号（個人情報） | 文字列
    email                       as "電子メールアドレス"       -- 担当者の電子メールアドレス（個人情報） | 文字列
from stg_contacts
order by fiscal_year, prefecture_code
