-- A payment schedule and its advances are written once; a new schedule replaces it from its date.
CREATE TRIGGER payment_schedule_no_change BEFORE UPDATE ON payment_schedule
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on payment_schedule is refused; set a new schedule instead');
END;

CREATE TRIGGER payment_schedule_no_delete BEFORE DELETE ON payment_schedule
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on payment_schedule is refused');
END;

CREATE TRIGGER payment_schedule_advance_no_change BEFORE UPDATE ON payment_schedule_advance
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on payment_schedule_advance is refused; set a new schedule instead');
END;

CREATE TRIGGER payment_schedule_advance_no_delete BEFORE DELETE ON payment_schedule_advance
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on payment_schedule_advance is refused');
END;

