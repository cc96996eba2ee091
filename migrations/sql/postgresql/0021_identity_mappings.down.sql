DROP TRIGGER IF EXISTS identity_mapping_no_truncate ON identity_mapping;
DROP TRIGGER IF EXISTS identity_mapping_append_only ON identity_mapping;
