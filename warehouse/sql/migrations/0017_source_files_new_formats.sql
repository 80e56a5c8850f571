-- Every kind of file an office sends is read (issue 22): OpenDocument spreadsheets and texts
-- (.ods, .odt) join the formats of source_files, and files that are no report at all get a
-- row too. DuckDB cannot drop a CHECK constraint, so the table is copied without its two
-- (format, status) and the copy takes its place, with its primary key and NOT NULL columns
-- as before (whatever columns earlier migrations added come along). The values allowed are
-- checked every run by warehouse/sql/checks/source_files_have_known_formats_and_statuses.sql,
-- against the lists the code defines (extract.model.FileFormat, warehouse.rows.FILE_STATUSES).
create table source_files_0017 as select * from source_files;
drop table source_files;
alter table source_files_0017 rename to source_files;
alter table source_files add primary key (sha256, path);
alter table source_files alter column sha256 set not null;
alter table source_files alter column path set not null;
alter table source_files alter column size_bytes set not null;
alter table source_files alter column format set not null;
alter table source_files alter column status set not null;
alter table source_files alter column first_seen_at set not null;
alter table source_files alter column last_seen_at set not null;
alter table source_files alter column pipeline_version set not null;
