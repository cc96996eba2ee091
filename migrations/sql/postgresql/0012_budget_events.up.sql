-- A budget event is never changed: a correction is a new, reversing event.
CREATE TRIGGER budget_event_append_only BEFORE UPDATE OR DELETE ON budget_event
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER budget_event_no_truncate BEFORE TRUNCATE ON budget_event
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
