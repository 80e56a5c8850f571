-- Scans read by OCR (issue #26).
--
-- A scan awaiting a clerk's review is recorded in source_files as quarantined with
-- reason_code 'needs_review' (format 'image' for TIFF, JPEG, PNG: source_files keeps no check
-- on formats since migration 0017, the data check compares them with extract.model), so
-- nothing of it reaches reports, the marts or the exports until it is confirmed.

-- One row per report read from a scan: what it was read from and with, its review status
-- (needs_review, confirmed automatically, confirmed by a clerk), its grade and confidence,
-- and what kept it from automatic confirmation.
create table ocr_reads (
    report_id      varchar not null,
    source_sha256  varchar not null,
    engine         varchar not null,   -- tesseract and its version, with the models used
    dpi            integer not null,   -- resolution the pages were read at
    source_dpi     integer not null,   -- resolution the scan held
    preprocessing  varchar[] not null, -- per page: stamp suppression, deskew angle
    status         varchar not null
        check (status in ('needs_review', 'confirmed automatically', 'confirmed by a clerk')),
    grade          varchar not null check (grade in ('A', 'B', 'C')),
    confidence     double not null,
    evidence       varchar[] not null, -- what was missing for automatic confirmation
    confirmed_by   varchar,
    read_at        timestamp not null,
    primary key (report_id)
);

-- One row per field of a scanned report: both models' raw readings, the corrected value,
-- the corrections made, how sure, and where on which page (points, as PDFs measure).
create table ocr_fields (
    report_id        varchar not null,
    source_sha256    varchar not null,
    field            varchar not null,
    kind             varchar not null,
    page             integer not null,
    bbox             double[] not null,
    reading_jpn      varchar,
    reading_japanese varchar,
    value            varchar not null,
    confidence       double not null,
    corrections      varchar[] not null,
    uncertain        boolean not null,
    provenance       varchar not null check (provenance in ('ocr', 'corrected by hand')),
    primary key (report_id, field)
);
