-- Every field of every scanned report as OCR read it: for review, and for measuring OCR.
create or replace view mart_ocr_fields as
with

fields as (
    select * from stg_ocr_fields
),

reads as (
    select * from stg_ocr_reads
),

final as (
    select
        fields.report_id,
        reads.path,
        reads.review_status,
        fields.field,
        fields.kind,
        fields.value,
        fields.reading_jpn,
        fields.reading_japanese,
        fields.confidence,
        fields.uncertain,
        fields.corrections,
        fields.provenance,
        fields.page,
        fields.bbox,
        fields.source_sha256
    from fields
    join reads using (report_id)
)

select * from final order by path, report_id, page, bbox[2], bbox[1];

comment on view mart_ocr_fields is 'One row per field of a report read from a scan: each OCR model''s raw reading, the value after corrections, how sure, where on the page, and whether a clerk replaced it. Values of reports awaiting review are here only, never in the spending marts.';
comment on column mart_ocr_fields.path is 'Path of the scan as the run was given it.';
comment on column mart_ocr_fields.review_status is 'The report''s review status (needs_review, confirmed automatically, confirmed by a clerk).';
comment on column mart_ocr_fields.field is 'The field, named as a corrections file names it (都道府県名, 3 for section 3, 経費.1.総事業費, 合計.本交付金 …).';
comment on column mart_ocr_fields.kind is 'What the cell may hold (amount, prefecture, period, budget, example, body, label …).';
comment on column mart_ocr_fields.value is 'The value used: OCR''s reading after the vocabulary''s corrections, or the clerk''s fix.';
comment on column mart_ocr_fields.reading_jpn is 'What tesseract''s jpn model read, raw; NULL when the cell was blank.';
comment on column mart_ocr_fields.reading_japanese is 'What tesseract''s Japanese script model read, raw (amount cells only); NULL otherwise.';
comment on column mart_ocr_fields.confidence is 'Tesseract''s confidence (0-1) in the word of the cell it was least sure of.';
comment on column mart_ocr_fields.uncertain is 'True when the reading fits nothing its cell may hold, or the two models disagree on an amount.';
comment on column mart_ocr_fields.corrections is 'The corrections made to the reading (「./、→,」 a comma read as a full stop, 「一→～」 …).';
comment on column mart_ocr_fields.provenance is 'ocr (as read), or corrected by hand (a clerk''s fix replaced it).';
comment on column mart_ocr_fields.page is 'Page of the scan, from 1.';
comment on column mart_ocr_fields.bbox is 'The cell''s box on the page in points: x0, top, x1, bottom.';
