DROP FUNCTION IF EXISTS regioledger_book_entry(bigint, text, date, timestamptz, text, text, text, text, text, text[], text[], bigint[], text[], text[]);
