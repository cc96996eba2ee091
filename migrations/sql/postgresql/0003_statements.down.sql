DROP TRIGGER IF EXISTS statement_line_no_truncate ON statement_line;
DROP TRIGGER IF EXISTS statement_line_append_only ON statement_line;
DROP TRIGGER IF EXISTS statement_no_truncate ON statement;
DROP TRIGGER IF EXISTS statement_append_only ON statement;
