DROP TRIGGER IF EXISTS sisa_finding_no_truncate ON sisa_finding;
DROP TRIGGER IF EXISTS sisa_finding_append_only ON sisa_finding;
DROP TRIGGER IF EXISTS sisa_correction_deadline_no_truncate ON sisa_correction_deadline;
DROP TRIGGER IF EXISTS sisa_correction_deadline_append_only ON sisa_correction_deadline;
DROP TRIGGER IF EXISTS beschikking_regeling_no_truncate ON beschikking_regeling;
DROP TRIGGER IF EXISTS beschikking_regeling_append_only ON beschikking_regeling;
