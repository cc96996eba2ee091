DROP TRIGGER IF EXISTS beschikking_regeling_no_delete;
DROP TRIGGER IF EXISTS beschikking_regeling_no_change;
