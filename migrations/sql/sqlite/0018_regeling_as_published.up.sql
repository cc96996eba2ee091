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
