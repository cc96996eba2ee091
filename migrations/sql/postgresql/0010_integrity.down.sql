CREATE OR REPLACE FUNCTION regioledger_no_spending_after_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM account a JOIN beschikking_event e ON e.beschikking = a.beschikking AND e.kind = 'final'
        WHERE a.id = NEW.account_id AND a.code LIKE 'beschikking:%:spent:%'
    ) THEN
        RAISE EXCEPTION 'year_final: the eindverantwoording of this beschikking is made; nothing more is spent on it'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

ALTER TABLE beschikking DROP CONSTRAINT ck_beschikking_currency;
ALTER TABLE beschikking ADD CONSTRAINT ck_beschikking_currency CHECK (currency = 'EUR' OR (instrument = 'BU' AND currency = 'USD'));
ALTER TABLE beschikking DROP CONSTRAINT ck_beschikking_instrument;
ALTER TABLE beschikking ADD CONSTRAINT ck_beschikking_instrument CHECK (instrument IN ('SPUK', 'DU', 'BU'));

CREATE OR REPLACE FUNCTION regioledger_check_recipient() RETURNS trigger LANGUAGE plpgsql AS $$
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
