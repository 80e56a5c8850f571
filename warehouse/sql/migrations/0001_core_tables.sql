-- The warehouse contract (issue #2). Analysts and exports rely on these names:
-- columns may be added by later migrations, none renamed.

create table prefectures (
    prefecture_code   integer primary key check (prefecture_code between 1 and 47),
    name_ja           varchar not null,
    name_en           varchar not null,
    region            varchar not null,
    population        bigint not null,   -- 2020 census (令和2年国勢調査), final figures
    female_population bigint             -- 2020 census; NULL where not yet sourced
);

create table source_files (
    sha256           varchar not null,
    path             varchar not null,
    size_bytes       bigint not null,
    format           varchar not null check (format in ('pdf', 'xlsx', 'docx', 'txt', 'xls', 'doc')),
    status           varchar not null check (status in ('loaded', 'duplicate', 'quarantined')),
    reason           varchar,
    first_seen_at    timestamp not null,
    last_seen_at     timestamp not null,
    pipeline_version varchar not null,
    primary key (sha256, path)
);

create table reports (
    report_id             varchar primary key,
    source_sha256         varchar not null,
    prefecture_code       integer not null,
    fiscal_year           integer not null,
    title                 varchar,
    project_title         varchar not null,
    period_start          date not null,
    period_end            date not null,
    amount_unit           varchar not null check (amount_unit in ('円', '千円')),
    declared_total_cost   bigint,
    declared_grant_amount bigint,
    declared_other_funds  bigint,
    declared_own_funds    bigint,
    is_current            boolean not null default true,
    superseded_by         varchar,
    ingested_at           timestamp not null
);

create table report_sections (
    report_id   varchar not null,
    section_no  integer not null check (section_no between 1 and 11),
    heading     varchar not null,
    body        varchar,         -- NULL for section 10: the contact lives in contacts
    page        integer,
    bbox        double[],
    sheet       varchar,
    cell        varchar,
    table_index integer,
    row_index   integer,
    line        integer,
    primary key (report_id, section_no)
);

create table expense_items (
    report_id                   varchar not null,
    row_order                   integer not null,   -- 1-based order in the table
    line_no                     integer not null,   -- 事業番号: ① is 1
    item_name                   varchar not null,
    example_ref                 varchar,
    budget_measure_raw          varchar,
    budget_measure_fiscal_year  integer,
    budget_measure_kind         varchar check (budget_measure_kind in ('当初', '補正')),
    decision_budget_raw         varchar,
    decision_budget_fiscal_year integer,
    decision_budget_kind        varchar check (decision_budget_kind in ('当初', '補正')),
    total_cost                  bigint not null,
    grant_amount                bigint not null,
    other_funds                 bigint not null,
    own_funds                   bigint not null,
    remarks                     varchar,
    page                        integer,
    bbox                        double[],
    sheet                       varchar,
    cell                        varchar,
    table_index                 integer,
    row_index                   integer,
    line                        integer,
    primary key (report_id, row_order)
);

-- Personal data: kept apart, left out of exports unless asked for.
create table contacts (
    report_id   varchar primary key,
    department  varchar,
    person_name varchar,
    phone       varchar,
    email       varchar
);

create table validation_issues (
    source_sha256 varchar not null,
    report_id     varchar,
    rule          varchar not null,
    severity      varchar not null check (severity in ('error', 'warning')),
    message       varchar not null
);
