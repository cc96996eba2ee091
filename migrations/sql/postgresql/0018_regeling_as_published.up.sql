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

CREATE TRIGGER sisa_submitted_year_append_only BEFORE UPDATE OR DELETE ON sisa_submitted_year
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_submitted_year_no_truncate BEFORE TRUNCATE ON sisa_submitted_year
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();

-- A submitted year is frozen: nothing is spent in it or before it, but by the SiSa correction
-- procedure (its entries' keys start "sisa-correction:").
CREATE FUNCTION regioledger_not_in_submitted_year() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM account a JOIN sisa_submitted_year s ON s.nummer = a.beschikking
        WHERE a.id = NEW.account_id AND a.code LIKE 'beschikking:%:spent:%' AND a.year <= s.year
    ) AND NOT EXISTS (
        SELECT 1 FROM journal_entry j WHERE j.id = NEW.entry_id AND j.key LIKE 'sisa-correction:%'
    ) THEN
        RAISE EXCEPTION 'year_submitted: a SiSa submission holds this year of this beschikking; correct it through the SiSa correction procedure'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER posting_not_in_submitted_year BEFORE INSERT ON posting
    FOR EACH ROW EXECUTE FUNCTION regioledger_not_in_submitted_year();
