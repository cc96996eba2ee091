DROP TRIGGER IF EXISTS identity_mapping_no_delete;
DROP TRIGGER IF EXISTS identity_mapping_no_change;
