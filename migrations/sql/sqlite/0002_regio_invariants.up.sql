-- The Regio Deals objects are append-only, and the database knows who may receive money.

CREATE TRIGGER organisation_no_update BEFORE UPDATE ON organisation
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on organisation is refused; record a new event instead');
END;

CREATE TRIGGER organisation_no_delete BEFORE DELETE ON organisation
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on organisation is refused');
END;

CREATE TRIGGER envelope_no_update BEFORE UPDATE ON envelope
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on envelope is refused; record a new event instead');
END;

CREATE TRIGGER envelope_no_delete BEFORE DELETE ON envelope
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on envelope is refused');
END;

CREATE TRIGGER tranche_no_update BEFORE UPDATE ON tranche
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on tranche is refused; record a new event instead');
END;

CREATE TRIGGER tranche_no_delete BEFORE DELETE ON tranche
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on tranche is refused');
END;

CREATE TRIGGER reservation_no_update BEFORE UPDATE ON reservation
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on reservation is refused; record a new event instead');
END;

CREATE TRIGGER reservation_no_delete BEFORE DELETE ON reservation
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on reservation is refused');
END;

CREATE TRIGGER budget_change_no_update BEFORE UPDATE ON budget_change
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on budget_change is refused; record a new event instead');
END;

CREATE TRIGGER budget_change_no_delete BEFORE DELETE ON budget_change
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on budget_change is refused');
END;

CREATE TRIGGER deal_no_update BEFORE UPDATE ON deal
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on deal is refused; record a new event instead');
END;

CREATE TRIGGER deal_no_delete BEFORE DELETE ON deal
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on deal is refused');
END;

CREATE TRIGGER programme_line_no_update BEFORE UPDATE ON programme_line
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on programme_line is refused; record a new event instead');
END;

CREATE TRIGGER programme_line_no_delete BEFORE DELETE ON programme_line
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on programme_line is refused');
END;

CREATE TRIGGER pledge_no_update BEFORE UPDATE ON pledge
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on pledge is refused; record a new event instead');
END;

CREATE TRIGGER pledge_no_delete BEFORE DELETE ON pledge
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on pledge is refused');
END;

CREATE TRIGGER beschikking_no_update BEFORE UPDATE ON beschikking
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on beschikking is refused; record a new event instead');
END;

CREATE TRIGGER beschikking_no_delete BEFORE DELETE ON beschikking
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on beschikking is refused');
END;

CREATE TRIGGER beschikking_event_no_update BEFORE UPDATE ON beschikking_event
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on beschikking_event is refused; record a new event instead');
END;

CREATE TRIGGER beschikking_event_no_delete BEFORE DELETE ON beschikking_event
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on beschikking_event is refused');
END;

CREATE TRIGGER published_figure_no_update BEFORE UPDATE ON published_figure
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on published_figure is refused; record a new event instead');
END;

CREATE TRIGGER published_figure_no_delete BEFORE DELETE ON published_figure
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on published_figure is refused');
END;

CREATE TRIGGER beschikking_recipient BEFORE INSERT ON beschikking
WHEN coalesce((SELECT type FROM organisation WHERE code = NEW.recipient), 'unknown')
     NOT IN ('gemeente', 'provincie', 'wgr', 'openbaar_lichaam_bes')
BEGIN
    SELECT RAISE(ABORT, 'recipient_not_allowed: only a gemeente, provincie, Wgr body or openbaar lichaam BES can receive a beschikking');
END;

CREATE TRIGGER pledge_partner BEFORE INSERT ON pledge
WHEN EXISTS (SELECT 1 FROM organisation WHERE code = NEW.partner AND type = 'rijk')
BEGIN
    SELECT RAISE(ABORT, 'rijk_as_cofinancier: a Rijk body cannot co-finance');
END;

CREATE TRIGGER beschikking_event_partner BEFORE INSERT ON beschikking_event
WHEN NEW.partner IS NOT NULL AND EXISTS (SELECT 1 FROM organisation WHERE code = NEW.partner AND type = 'rijk')
BEGIN
    SELECT RAISE(ABORT, 'rijk_as_cofinancier: a Rijk body cannot co-finance');
END;
