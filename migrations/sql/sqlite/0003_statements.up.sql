-- Uploaded statements and their lines are append-only.
CREATE TRIGGER statement_no_update BEFORE UPDATE ON statement
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on statement is refused');
END;

CREATE TRIGGER statement_no_delete BEFORE DELETE ON statement
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on statement is refused');
END;

CREATE TRIGGER statement_line_no_update BEFORE UPDATE ON statement_line
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on statement_line is refused');
END;

CREATE TRIGGER statement_line_no_delete BEFORE DELETE ON statement_line
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on statement_line is refused');
END;
