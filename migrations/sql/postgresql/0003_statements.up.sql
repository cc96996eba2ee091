-- Uploaded statements and their lines are append-only.
CREATE TRIGGER statement_append_only BEFORE UPDATE OR DELETE ON statement
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER statement_no_truncate BEFORE TRUNCATE ON statement
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER statement_line_append_only BEFORE UPDATE OR DELETE ON statement_line
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER statement_line_no_truncate BEFORE TRUNCATE ON statement_line
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
