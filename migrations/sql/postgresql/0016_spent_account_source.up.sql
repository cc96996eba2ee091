-- A spending account is beschikking:B:spent:YEAR:SOURCE, with YEAR its own year and SOURCE one
-- of the four funding sources; SiSa reads the source from the end of the code.
CREATE FUNCTION regioledger_spent_names_a_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.year IS NULL
       OR NEW.code !~ (':spent:' || NEW.year || ':(rijk|cofinanciering_publiek|cofinanciering_privaat|in_natura)$') THEN
        RAISE EXCEPTION 'unknown_funding_source: a spending account ends in its year and rijk, cofinanciering_publiek, cofinanciering_privaat or in_natura'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER account_spent_names_a_source BEFORE INSERT ON account
    FOR EACH ROW WHEN (NEW.code LIKE '%:spent:%') EXECUTE FUNCTION regioledger_spent_names_a_source();
