-- The beschikking table's triggers as revision 0009 had them (made again after a downgrade
-- rebuilds the table).
CREATE TRIGGER beschikking_no_update BEFORE UPDATE ON beschikking
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on beschikking is refused; record a new event instead');
END;

CREATE TRIGGER beschikking_no_delete BEFORE DELETE ON beschikking
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on beschikking is refused');
END;

CREATE TRIGGER beschikking_recipient BEFORE INSERT ON beschikking
WHEN coalesce((SELECT type FROM organisation WHERE code = NEW.recipient), 'unknown')
     NOT IN ('gemeente', 'provincie', 'wgr', 'openbaar_lichaam_bes')
BEGIN
    SELECT RAISE(ABORT, 'recipient_not_allowed: only a gemeente, provincie, Wgr body or openbaar lichaam BES can receive a beschikking');
END;
