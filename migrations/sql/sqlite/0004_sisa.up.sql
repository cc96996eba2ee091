-- SiSa definitions and exports are append-only: a year keeps the annex it was reported with.

CREATE TRIGGER sisa_annex_no_update BEFORE UPDATE ON sisa_annex
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on sisa_annex is refused');
END;

CREATE TRIGGER sisa_annex_no_delete BEFORE DELETE ON sisa_annex
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on sisa_annex is refused');
END;

CREATE TRIGGER sisa_indicator_no_update BEFORE UPDATE ON sisa_indicator
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on sisa_indicator is refused');
END;

CREATE TRIGGER sisa_indicator_no_delete BEFORE DELETE ON sisa_indicator
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on sisa_indicator is refused');
END;

CREATE TRIGGER sisa_export_no_update BEFORE UPDATE ON sisa_export
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on sisa_export is refused');
END;

CREATE TRIGGER sisa_export_no_delete BEFORE DELETE ON sisa_export
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on sisa_export is refused');
END;
