DROP TRIGGER IF EXISTS sisa_annex_no_update;
DROP TRIGGER IF EXISTS sisa_annex_no_delete;
DROP TRIGGER IF EXISTS sisa_indicator_no_update;
DROP TRIGGER IF EXISTS sisa_indicator_no_delete;
DROP TRIGGER IF EXISTS sisa_export_no_update;
DROP TRIGGER IF EXISTS sisa_export_no_delete;
