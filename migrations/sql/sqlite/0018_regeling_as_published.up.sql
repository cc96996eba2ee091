-- Which regeling a beschikking was decided under is written once.
CREATE TRIGGER beschikking_regeling_no_change BEFORE UPDATE ON beschikking_regeling
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on beschikking_regeling is refused');
END;

CREATE TRIGGER beschikking_regeling_no_delete BEFORE DELETE ON beschikking_regeling
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on beschikking_regeling is refused');
END;

CREATE TRIGGER sisa_correction_deadline_no_change BEFORE UPDATE ON sisa_correction_deadline
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on sisa_correction_deadline is refused');
END;

CREATE TRIGGER sisa_correction_deadline_no_delete BEFORE DELETE ON sisa_correction_deadline
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on sisa_correction_deadline is refused');
END;

CREATE TRIGGER sisa_finding_no_change BEFORE UPDATE ON sisa_finding
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on sisa_finding is refused');
END;

CREATE TRIGGER sisa_finding_no_delete BEFORE DELETE ON sisa_finding
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on sisa_finding is refused');
END;

CREATE TRIGGER sisa_submitted_year_no_change BEFORE UPDATE ON sisa_submitted_year
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on sisa_submitted_year is refused');
END;

CREATE TRIGGER sisa_submitted_year_no_delete BEFORE DELETE ON sisa_submitted_year
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on sisa_submitted_year is refused');
END;

-- A submitted year is frozen: nothing is spent in it or before it, but by the SiSa correction
-- procedure (its entries' keys start "sisa-correction:").
CREATE TRIGGER posting_not_in_submitted_year BEFORE INSERT ON posting
WHEN EXISTS (
    SELECT 1 FROM account a JOIN sisa_submitted_year s ON s.nummer = a.beschikking
    WHERE a.id = NEW.account_id AND a.code LIKE 'beschikking:%:spent:%' AND a.year <= s.year
) AND NOT EXISTS (
    SELECT 1 FROM journal_entry j WHERE j.id = NEW.entry_id AND j.key LIKE 'sisa-correction:%'
)
BEGIN
    SELECT RAISE(ABORT, 'year_submitted: a SiSa submission holds this year of this beschikking; correct it through the SiSa correction procedure');
END;
