-- Corrections, regelingen and SiSa submissions are append-only, like everything they correct.
CREATE TRIGGER amendment_no_update BEFORE UPDATE ON amendment
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on amendment is refused');
END;

CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on amendment is refused');
END;

CREATE TRIGGER regeling_no_change BEFORE UPDATE ON regeling
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on regeling is refused');
END;

CREATE TRIGGER tranche_regeling_no_change BEFORE UPDATE ON tranche_regeling
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on tranche_regeling is refused');
END;

CREATE TRIGGER sisa_definition_no_update BEFORE UPDATE ON sisa_definition
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on sisa_definition is refused');
END;

CREATE TRIGGER sisa_definition_indicator_no_update BEFORE UPDATE ON sisa_definition_indicator
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on sisa_definition_indicator is refused');
END;

CREATE TRIGGER sisa_submission_no_update BEFORE UPDATE ON sisa_submission
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on sisa_submission is refused');
END;

CREATE TRIGGER sisa_submission_no_delete BEFORE DELETE ON sisa_submission
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on sisa_submission is refused');
END;

-- The beschikking table was rebuilt (its instrument and currency rules): its guards again, and
-- who may receive what, per instrument.
CREATE TRIGGER beschikking_no_update BEFORE UPDATE ON beschikking
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on beschikking is refused; record a new event instead');
END;

CREATE TRIGGER beschikking_no_delete BEFORE DELETE ON beschikking
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on beschikking is refused');
END;

CREATE TRIGGER beschikking_recipient BEFORE INSERT ON beschikking
WHEN NOT coalesce((
    SELECT (NEW.instrument = 'SPUK' AND type IN ('gemeente', 'provincie', 'wgr'))
        OR (NEW.instrument = 'DU' AND type IN ('gemeente', 'provincie'))
        OR (NEW.instrument = 'BU' AND type = 'openbaar_lichaam_bes')
        OR (NEW.instrument = 'DO' AND type = 'rijk')
    FROM organisation WHERE code = NEW.recipient), 0)
BEGIN
    SELECT RAISE(ABORT, 'recipient_not_allowed: this organisation cannot receive this instrument (SPUK: gemeente, provincie or Wgr body; DU: gemeente or provincie; BU: openbaar lichaam BES; DO: a ministry)');
END;

-- After eindverantwoording nothing more is spent, but for the SiSa correction procedure.
DROP TRIGGER posting_no_spending_after_final;

CREATE TRIGGER posting_no_spending_after_final BEFORE INSERT ON posting
WHEN NEW.side = 'credit' AND EXISTS (
    SELECT 1 FROM account a JOIN beschikking_event e ON e.beschikking = a.beschikking AND e.kind = 'final'
    WHERE a.id = NEW.account_id AND a.code LIKE 'beschikking:%:spent:%'
) AND NOT EXISTS (
    SELECT 1 FROM journal_entry j WHERE j.id = NEW.entry_id AND j.key LIKE 'sisa-correction:%'
)
BEGIN
    SELECT RAISE(ABORT, 'year_final: the eindverantwoording of this beschikking is made; nothing more is spent on it');
END;
