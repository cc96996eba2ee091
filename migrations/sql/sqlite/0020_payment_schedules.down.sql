DROP TRIGGER IF EXISTS payment_schedule_no_delete;
DROP TRIGGER IF EXISTS payment_schedule_no_change;
DROP TRIGGER IF EXISTS payment_schedule_advance_no_delete;
DROP TRIGGER IF EXISTS payment_schedule_advance_no_change;
