DROP TRIGGER IF EXISTS budget_event_no_truncate ON budget_event;
DROP TRIGGER IF EXISTS budget_event_append_only ON budget_event;
