-- A payment schedule and its advances are written once; a new schedule replaces it from its date.
CREATE TRIGGER payment_schedule_append_only BEFORE UPDATE OR DELETE ON payment_schedule
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER payment_schedule_no_truncate BEFORE TRUNCATE ON payment_schedule
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER payment_schedule_advance_append_only BEFORE UPDATE OR DELETE ON payment_schedule_advance
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER payment_schedule_advance_no_truncate BEFORE TRUNCATE ON payment_schedule_advance
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
