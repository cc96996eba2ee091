-- A kept reconciliation is never changed, only made again.
CREATE TRIGGER reconciliation_no_update BEFORE UPDATE ON reconciliation
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on reconciliation is refused');
END;

CREATE TRIGGER reconciliation_no_delete BEFORE DELETE ON reconciliation
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on reconciliation is refused');
END;
