-- Staging: every field of every scanned report as OCR read it.
create or replace view stg_ocr_fields as
with

fields as (
    select * from ocr_fields
),

final as (
    select
        report_id,
        source_sha256,
        field,
        kind,
        value,
        reading_jpn,
        reading_japanese,
        confidence,
        uncertain,
        corrections,
        provenance,
        page,
        bbox
    from fields
)

select * from final;

comment on view stg_ocr_fields is 'One row per field of a report read from a scan (also of reports awaiting review): both OCR models'' raw readings, the corrected value, how sure, where.';
comment on column stg_ocr_fields.field is 'The field, named as a corrections file names it (都道府県名, 3 for section 3, 経費.1.総事業費, 合計.本交付金 …).';
comment on column stg_ocr_fields.kind is 'What the cell may hold (amount, prefecture, period, budget, example, body, label …).';
comment on column stg_ocr_fields.value is 'The value used: OCR''s reading after the vocabulary''s corrections, or the clerk''s fix.';
comment on column stg_ocr_fields.reading_jpn is 'What tesseract''s jpn model read, raw; NULL when the cell was blank.';
comment on column stg_ocr_fields.reading_japanese is 'What tesseract''s Japanese script model read, raw (amount cells only); NULL otherwise.';
comment on column stg_ocr_fields.confidence is 'Tesseract''s confidence (0-1) in the word of the cell it was least sure of.';
comment on column stg_ocr_fields.uncertain is 'True when the reading fits nothing its cell may hold, or the two models disagree on an amount.';
comment on column stg_ocr_fields.corrections is 'The corrections made to the reading (「./、→,」 a comma read as a full stop, 「一→～」 …).';
comment on column stg_ocr_fields.provenance is 'ocr (as read), or corrected by hand (a clerk''s fix replaced it).';
comment on column stg_ocr_fields.page is 'Page of the scan, from 1.';
comment on column stg_ocr_fields.bbox is 'The cell''s box on the page in points: x0, top, x1, bottom.';
