DROP TRIGGER IF EXISTS budget_event_no_delete;
DROP TRIGGER IF EXISTS budget_event_no_update;
