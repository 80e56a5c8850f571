-- Staging: every report read from a scan by OCR, with its review status. (Numbered 19 beside
-- the other staging views, not in the OCR views' 60s: mart_data_quality, view 33, reads it.)
create or replace view stg_ocr_reads as
with

reads as (
    select * from ocr_reads
),

files as (
    select * from stg_source_files
),

final as (
    select
        reads.report_id,
        reads.source_sha256,
        files.path,
        reads.status as review_status,
        reads.grade,
        reads.confidence,
        reads.evidence,
        reads.confirmed_by,
        reads.engine,
        reads.dpi,
        reads.source_dpi,
        reads.preprocessing,
        reads.read_at
    from reads
    left join files on files.sha256 = reads.source_sha256
)

select * from final;

comment on view stg_ocr_reads is 'One row per report read from a scan by OCR (per path it was seen under): whether it awaits a clerk (needs_review, kept out of every mart) or was confirmed, how sure the reading is and what it was read with.';
comment on column stg_ocr_reads.path is 'Path of the scan as the run was given it (one row per path the same bytes were seen under).';
comment on column stg_ocr_reads.review_status is 'needs_review (held out of the marts and exports until confirmed), confirmed automatically (strong evidence: both OCR models agree on every amount, no digit corrected, the checks and the contact agree) or confirmed by a clerk (confirm = true in a corrections file).';
comment on column stg_ocr_reads.grade is 'A confirmed automatically, B confirmed by a clerk, C awaiting review.';
comment on column stg_ocr_reads.confidence is 'Share (0-1) of the fields that decide money and place (amounts, prefecture, period, budget labels, 取組例) read with certainty.';
comment on column stg_ocr_reads.evidence is 'What kept the report from automatic confirmation (Japanese, one entry per field or check); empty when confirmed automatically.';
comment on column stg_ocr_reads.confirmed_by is 'The clerk who confirmed it (corrected_by of the corrections file); NULL otherwise.';
comment on column stg_ocr_reads.engine is 'The OCR program and version with the models used (tesseract, jpn and Japanese).';
comment on column stg_ocr_reads.dpi is 'Resolution the pages were read at (dots per inch).';
comment on column stg_ocr_reads.source_dpi is 'Resolution the scan itself held (a 200 dpi scan is enlarged to 300 for OCR).';
comment on column stg_ocr_reads.preprocessing is 'What was done to each page before OCR (stamp suppression: red channel or grey clip; deskew angle).';
comment on column stg_ocr_reads.read_at is 'When the scan was read, UTC.';
