-- Corrected values marked where they are (issue 23): each applied fix of an expense cell
-- (「経費.<row>.<column>」) records the expense row it wrote into, expense_items.row_order of
-- the same report, so the exports and the report can mark that row as corrected by hand.
-- NULL for a fix of any other field (a section, the prefecture, the total row), for a row
-- whose place in the file does not name one expense row, and for fixes loaded before this
-- migration (their report is still marked as corrected; the row, once the file is read
-- again).
alter table corrections add column expense_row_order integer;
