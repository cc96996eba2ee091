-- An identity's mapping is written once; a change or a revocation is a new row.
CREATE TRIGGER identity_mapping_append_only BEFORE UPDATE OR DELETE ON identity_mapping
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER identity_mapping_no_truncate BEFORE TRUNCATE ON identity_mapping
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
