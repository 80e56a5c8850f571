-- データ品質: 読み込めなかったファイルと、現行の報告書のチェックで見つかった問題（どちらもファイルの SHA-256 と訂正ファイルのひな形つき）。
select * from (
    select
        '読込不可'                        as "区分",              -- 読込不可：ファイルを読み込めなかった／チェック：読み込んだ報告書に問題が見つかった | 文字列
        path                              as "ファイル",          -- 対象のファイル（取り込み時に渡された場所と名前） | 文字列
        null::varchar                     as "報告書ID",          -- 問題のある報告書の識別番号（読込不可は空欄） | 文字列
        null::varchar                     as "都道府県",          -- 報告書の都道府県（読込不可は空欄） | 文字列
        null::integer                     as "年度",              -- 報告書の年度（西暦。読込不可は空欄） | 年度（西暦）
        '読み込めないファイル'            as "内容の種類",        -- 問題の種類（チェックの名前） | 文字列
        coalesce(reason_code, 'quarantine') as "コード",          -- 問題の種類の固定の英字コード（数える・絞り込むときに使う） | 文字列
        'エラー'                          as "重大度",            -- エラー：直す必要がある／注意：確認をお勧めする | 文字列
        reason                            as "内容",              -- 何が問題で、どうすればよいか | 文字列
        sha256                            as "SHA-256",           -- ファイルの内容から計算した64桁の識別値。訂正ファイルの sha256 に書く値 | 文字列
        corrections_skeleton(sha256, 1)   as "訂正ファイルのひな形" -- このファイルの訂正ファイル（TOML）のひな形。訂正フォルダ（data/corrections/）に .toml で保存し、訂正した人・理由・項目（field）と値（value）を書く（docs/operations.md） | 文字列
    from mart_quarantined_files
    union all
    select
        'チェック',
        source_path,
        report_id,
        prefecture_name,
        fiscal_year,
        rule_label,
        rule,
        severity_label,
        message,
        source_sha256,
        -- the form of the file the report is (「R-…-2」: its second form)
        corrections_skeleton(
            source_sha256,
            coalesce(try_cast(regexp_extract(report_id, '^R-[0-9a-f]{16}-([0-9]+)$', 1) as integer), 1)
        )
    from stg_validation_issues
    where is_current
)
order by "区分", "ファイル", "報告書ID", "コード"
