-- Corrections, regelingen and SiSa submissions are append-only, like everything they correct.
CREATE TRIGGER amendment_append_only BEFORE UPDATE OR DELETE ON amendment
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER amendment_no_truncate BEFORE TRUNCATE ON amendment
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER regeling_append_only BEFORE UPDATE OR DELETE ON regeling
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER tranche_regeling_append_only BEFORE UPDATE OR DELETE ON tranche_regeling
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_definition_append_only BEFORE UPDATE OR DELETE ON sisa_definition
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_definition_indicator_append_only BEFORE UPDATE OR DELETE ON sisa_definition_indicator
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_submission_append_only BEFORE UPDATE OR DELETE ON sisa_submission
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_submission_no_truncate BEFORE TRUNCATE ON sisa_submission
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();

-- Who may receive what, per instrument: a SPUK goes to a gemeente, provincie or Wgr body; a DU
-- to a gemeente or provincie (through the Gemeente- or Provinciefonds); a BU to an openbaar
-- lichaam BES; a departementale overboeking (DO) to a ministry's budget.
CREATE OR REPLACE FUNCTION regioledger_check_recipient() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    recipient_type text;
BEGIN
    SELECT type INTO recipient_type FROM organisation WHERE code = NEW.recipient;
    IF recipient_type IS NULL OR NOT (
        (NEW.instrument = 'SPUK' AND recipient_type IN ('gemeente', 'provincie', 'wgr'))
        OR (NEW.instrument = 'DU' AND recipient_type IN ('gemeente', 'provincie'))
        OR (NEW.instrument = 'BU' AND recipient_type = 'openbaar_lichaam_bes')
        OR (NEW.instrument = 'DO' AND recipient_type = 'rijk')
    ) THEN
        RAISE EXCEPTION 'recipient_not_allowed: % (%) cannot receive % %', NEW.recipient, coalesce(recipient_type, 'unknown'), NEW.instrument, NEW.nummer
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

ALTER TABLE beschikking DROP CONSTRAINT ck_beschikking_instrument;
ALTER TABLE beschikking ADD CONSTRAINT ck_beschikking_instrument CHECK (instrument IN ('SPUK', 'DU', 'BU', 'DO'));
ALTER TABLE beschikking DROP CONSTRAINT ck_beschikking_currency;
ALTER TABLE beschikking ADD CONSTRAINT ck_beschikking_currency CHECK ((instrument = 'BU') = (currency = 'USD'));

-- After eindverantwoording nothing more is spent, but for the SiSa correction procedure: its
-- entries (key "sisa-correction:...", each with its amendment row) correct a final year.
CREATE OR REPLACE FUNCTION regioledger_no_spending_after_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM account a JOIN beschikking_event e ON e.beschikking = a.beschikking AND e.kind = 'final'
        WHERE a.id = NEW.account_id AND a.code LIKE 'beschikking:%:spent:%'
    ) AND NOT EXISTS (
        SELECT 1 FROM journal_entry j WHERE j.id = NEW.entry_id AND j.key LIKE 'sisa-correction:%'
    ) THEN
        RAISE EXCEPTION 'year_final: the eindverantwoording of this beschikking is made; nothing more is spent on it'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
