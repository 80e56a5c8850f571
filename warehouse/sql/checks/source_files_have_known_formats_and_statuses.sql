-- Every file's format and status is one the code knows: the CHECK constraints of
-- source_files before migration 0017, kept as a data check (tests/test_warehouse_formats.py
-- compares these lists with extract.model.FileFormat and warehouse.catalog.FileStatus).
select sha256, path, format, status
from source_files
where format not in ('pdf', 'xlsx', 'docx', 'txt', 'xls', 'doc', 'ods', 'odt', 'image')
    or status not in ('loaded', 'duplicate', 'quarantined')
