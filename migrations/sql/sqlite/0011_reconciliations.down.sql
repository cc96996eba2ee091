DROP TRIGGER IF EXISTS reconciliation_no_delete;
DROP TRIGGER IF EXISTS reconciliation_no_update;
