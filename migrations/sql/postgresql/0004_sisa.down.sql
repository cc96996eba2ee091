DROP TRIGGER IF EXISTS sisa_annex_append_only ON sisa_annex;
DROP TRIGGER IF EXISTS sisa_annex_no_truncate ON sisa_annex;
DROP TRIGGER IF EXISTS sisa_indicator_append_only ON sisa_indicator;
DROP TRIGGER IF EXISTS sisa_indicator_no_truncate ON sisa_indicator;
DROP TRIGGER IF EXISTS sisa_export_append_only ON sisa_export;
DROP TRIGGER IF EXISTS sisa_export_no_truncate ON sisa_export;
