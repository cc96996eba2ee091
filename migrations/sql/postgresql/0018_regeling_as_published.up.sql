-- Which regeling a beschikking was decided under is written once.
CREATE TRIGGER beschikking_regeling_append_only BEFORE UPDATE OR DELETE ON beschikking_regeling
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER beschikking_regeling_no_truncate BEFORE TRUNCATE ON beschikking_regeling
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_correction_deadline_append_only BEFORE UPDATE OR DELETE ON sisa_correction_deadline
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_correction_deadline_no_truncate BEFORE TRUNCATE ON sisa_correction_deadline
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_finding_append_only BEFORE UPDATE OR DELETE ON sisa_finding
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_finding_no_truncate BEFORE TRUNCATE ON sisa_finding
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
