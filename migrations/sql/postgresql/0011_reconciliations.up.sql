-- A kept reconciliation is never changed, only made again.
CREATE TRIGGER reconciliation_append_only BEFORE UPDATE OR DELETE ON reconciliation
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER reconciliation_no_truncate BEFORE TRUNCATE ON reconciliation
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
