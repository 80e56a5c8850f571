-- Report ids that stay text in every spreadsheet (issue #15): 「R-」 before the 16 hex digits
-- of the file's SHA-256, so that an id of digits only (「0123…」) or one like 「12e45…」 is never
-- read as a number when a CSV is opened in Excel or Calc. Applied in place, once, to every
-- table that holds a report id; ids already in the new form are left as they are.
update reports set report_id = 'R-' || report_id where report_id not like 'R-%';
update reports set superseded_by = 'R-' || superseded_by
where superseded_by is not null and superseded_by not like 'R-%';
update report_sections set report_id = 'R-' || report_id where report_id not like 'R-%';
update expense_items set report_id = 'R-' || report_id where report_id not like 'R-%';
update contacts set report_id = 'R-' || report_id where report_id not like 'R-%';
update validation_issues set report_id = 'R-' || report_id
where report_id is not null and report_id not like 'R-%';
update corrections set report_id = 'R-' || report_id where report_id not like 'R-%';
