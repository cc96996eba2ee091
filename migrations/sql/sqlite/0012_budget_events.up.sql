-- A budget event is never changed: a correction is a new, reversing event.
CREATE TRIGGER budget_event_no_update BEFORE UPDATE ON budget_event
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on budget_event is refused; record a new event instead');
END;

CREATE TRIGGER budget_event_no_delete BEFORE DELETE ON budget_event
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on budget_event is refused');
END;
