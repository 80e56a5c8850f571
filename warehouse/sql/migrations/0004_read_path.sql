-- How each loaded file was read (issue #13): the reader, and for PDFs which of the reading
-- paths the file needed (ruled grid, text outside the grid, an expense table without rules).
alter table source_files add column read_path varchar;
