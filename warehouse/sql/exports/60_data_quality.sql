-- データ品質: quarantined files and check issues, one table.
select * from (
    select
        '読込不可' as "区分",
        path as "対象",
        null as "都道府県",
        null as "年度",
        'quarantine' as "規則",
        'error' as "重大度",
        reason as "内容"
    from mart_quarantined_files
    union all
    select
        'チェック',
        report_id,
        prefecture_name,
        fiscal_year,
        rule,
        severity,
        message
    from stg_validation_issues
    where is_current
)
order by "区分", "対象", "規則"
