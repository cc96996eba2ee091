DROP TRIGGER IF EXISTS sisa_finding_no_delete;
DROP TRIGGER IF EXISTS sisa_finding_no_change;
DROP TRIGGER IF EXISTS sisa_correction_deadline_no_delete;
DROP TRIGGER IF EXISTS sisa_correction_deadline_no_change;
DROP TRIGGER IF EXISTS beschikking_regeling_no_delete;
DROP TRIGGER IF EXISTS beschikking_regeling_no_change;
