-- An identity's mapping is written once; a change or a revocation is a new row.
CREATE TRIGGER identity_mapping_no_change BEFORE UPDATE ON identity_mapping
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on identity_mapping is refused; record a new mapping instead');
END;

CREATE TRIGGER identity_mapping_no_delete BEFORE DELETE ON identity_mapping
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on identity_mapping is refused');
END;
