-- What the Cabinet Office published for the grant's budget line (issue #16), reloaded every
-- run from warehouse/seeds/national/ (行政事業レビューシート: JUDGIT! copies and RS System
-- records). One row per published figure, the amount normalised to yen beside the value and
-- unit as published, the sheet it came from (sheet_order: later sheets higher) and its source.
create table national_budget (
    sheet           varchar not null,
    sheet_order     integer not null,
    fiscal_year     integer not null,
    figure          varchar not null,   -- 要求額, 当初予算, 補正予算, … 予算計, 執行額
    amount_yen      bigint not null,
    published_value varchar not null,
    published_unit  varchar not null,
    note            varchar,
    source_url      varchar not null
);

create table national_participation (
    sheet        varchar not null,
    sheet_order  integer not null,
    indicator    varchar not null,
    unit         varchar not null,
    fiscal_year  integer not null,
    actual       double,
    forecast     double,
    source_url   varchar not null
);

create table national_payments (
    sheet               varchar not null,
    sheet_order         integer not null,
    payment_fiscal_year integer not null,
    payment_group       varchar not null,   -- A the grant, B model projects, C municipalities
    rank                integer not null,
    recipient           varchar not null,
    prefecture_code     integer,            -- when the recipient is a prefecture
    corporate_number    varchar,
    description         varchar,
    amount_yen          bigint not null,
    published_value     varchar not null,
    published_unit      varchar not null,
    tolerance_yen       bigint not null,    -- half the last published digit: rounding
    source_url          varchar not null
);
