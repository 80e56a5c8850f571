-- A prefecture code as exports write it: two-digit text (「01」 北海道 … 「47」 沖縄県), so no
-- program reads it as the number 1 and no leading zero is lost.
create or replace macro jis_code(code) as lpad(cast(code as varchar), 2, '0');

comment on macro jis_code is 'jis_code(prefecture_code): the JIS X 0401 code as two-digit text (4 → 「04」), as every export writes it; NULL stays NULL.';
