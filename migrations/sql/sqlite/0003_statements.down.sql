DROP TRIGGER IF EXISTS statement_line_no_delete;
DROP TRIGGER IF EXISTS statement_line_no_update;
DROP TRIGGER IF EXISTS statement_no_delete;
DROP TRIGGER IF EXISTS statement_no_update;
