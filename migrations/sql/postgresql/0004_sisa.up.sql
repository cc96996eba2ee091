-- SiSa definitions and exports are append-only: a year keeps the annex it was reported with.
CREATE TRIGGER sisa_annex_append_only BEFORE UPDATE OR DELETE ON sisa_annex
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_annex_no_truncate BEFORE TRUNCATE ON sisa_annex
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_indicator_append_only BEFORE UPDATE OR DELETE ON sisa_indicator
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_indicator_no_truncate BEFORE TRUNCATE ON sisa_indicator
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_export_append_only BEFORE UPDATE OR DELETE ON sisa_export
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER sisa_export_no_truncate BEFORE TRUNCATE ON sisa_export
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
