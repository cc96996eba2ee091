-- The Regio Deals objects are append-only, and the database knows who may receive money.

CREATE TRIGGER organisation_append_only BEFORE UPDATE OR DELETE ON organisation
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER organisation_no_truncate BEFORE TRUNCATE ON organisation
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER envelope_append_only BEFORE UPDATE OR DELETE ON envelope
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER envelope_no_truncate BEFORE TRUNCATE ON envelope
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER tranche_append_only BEFORE UPDATE OR DELETE ON tranche
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER tranche_no_truncate BEFORE TRUNCATE ON tranche
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER reservation_append_only BEFORE UPDATE OR DELETE ON reservation
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER reservation_no_truncate BEFORE TRUNCATE ON reservation
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER budget_change_append_only BEFORE UPDATE OR DELETE ON budget_change
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER budget_change_no_truncate BEFORE TRUNCATE ON budget_change
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER deal_append_only BEFORE UPDATE OR DELETE ON deal
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER deal_no_truncate BEFORE TRUNCATE ON deal
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER programme_line_append_only BEFORE UPDATE OR DELETE ON programme_line
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER programme_line_no_truncate BEFORE TRUNCATE ON programme_line
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER pledge_append_only BEFORE UPDATE OR DELETE ON pledge
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER pledge_no_truncate BEFORE TRUNCATE ON pledge
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER beschikking_append_only BEFORE UPDATE OR DELETE ON beschikking
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER beschikking_no_truncate BEFORE TRUNCATE ON beschikking
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER beschikking_event_append_only BEFORE UPDATE OR DELETE ON beschikking_event
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER beschikking_event_no_truncate BEFORE TRUNCATE ON beschikking_event
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER published_figure_append_only BEFORE UPDATE OR DELETE ON published_figure
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER published_figure_no_truncate BEFORE TRUNCATE ON published_figure
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();

-- A regiokassier is a gemeente, provincie, Wgr body or openbaar lichaam BES; never a waterschap.
CREATE FUNCTION regioledger_check_recipient() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    recipient_type text;
BEGIN
    SELECT type INTO recipient_type FROM organisation WHERE code = NEW.recipient;
    IF recipient_type IS NULL OR recipient_type NOT IN ('gemeente', 'provincie', 'wgr', 'openbaar_lichaam_bes') THEN
        RAISE EXCEPTION 'recipient_not_allowed: % (%) cannot receive beschikking %', NEW.recipient, coalesce(recipient_type, 'unknown'), NEW.nummer
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER beschikking_recipient BEFORE INSERT ON beschikking
    FOR EACH ROW EXECUTE FUNCTION regioledger_check_recipient();

-- Regional co-financing may not come from the Rijk.
CREATE FUNCTION regioledger_check_partner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.partner IS NOT NULL AND EXISTS (SELECT 1 FROM organisation WHERE code = NEW.partner AND type = 'rijk') THEN
        RAISE EXCEPTION 'rijk_as_cofinancier: % is part of the Rijk and cannot co-finance', NEW.partner
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER pledge_partner BEFORE INSERT ON pledge
    FOR EACH ROW EXECUTE FUNCTION regioledger_check_partner();
CREATE TRIGGER beschikking_event_partner BEFORE INSERT ON beschikking_event
    FOR EACH ROW EXECUTE FUNCTION regioledger_check_partner();
