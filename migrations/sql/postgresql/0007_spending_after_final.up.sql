-- After eindverantwoording nothing more is spent on a beschikking: no credit posting to any of
-- its spent accounts (beschikking:B:spent:YEAR:SOURCE), whoever books it.
CREATE FUNCTION regioledger_no_spending_after_final() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER posting_no_spending_after_final BEFORE INSERT ON posting
    FOR EACH ROW WHEN (NEW.side = 'credit') EXECUTE FUNCTION regioledger_no_spending_after_final();
