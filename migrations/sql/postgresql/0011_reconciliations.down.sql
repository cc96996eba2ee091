DROP TRIGGER IF EXISTS reconciliation_no_truncate ON reconciliation;
DROP TRIGGER IF EXISTS reconciliation_append_only ON reconciliation;
