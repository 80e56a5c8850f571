-- データ品質: quarantined files and check issues, one table (Japanese labels, stable codes).
select * from (
    select
        '読込不可' as "区分",
        path as "対象",
        null as "都道府県",
        null as "年度",
        '読み込めないファイル' as "内容の種類",
        coalesce(reason_code, 'quarantine') as "コード",
        'error' as "重大度",
        reason as "内容"
    from mart_quarantined_files
    union all
    select
        'チェック',
        report_id,
        prefecture_name,
        fiscal_year,
        rule_label,
        rule,
        severity,
        message
    from stg_validation_issues
    where is_current
)
order by "区分", "対象", "コード"
