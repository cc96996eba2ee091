-- A spending account is beschikking:B:spent:YEAR:SOURCE, with YEAR its own year and SOURCE one
-- of the four funding sources; SiSa reads the source from the end of the code. (GLOB is
-- case-sensitive and takes '_' as itself.)
CREATE TRIGGER account_spent_names_a_source BEFORE INSERT ON account
WHEN NEW.code LIKE '%:spent:%' AND (NEW.year IS NULL OR NOT (
    NEW.code GLOB '*:spent:' || NEW.year || ':rijk'
    OR NEW.code GLOB '*:spent:' || NEW.year || ':cofinanciering_publiek'
    OR NEW.code GLOB '*:spent:' || NEW.year || ':cofinanciering_privaat'
    OR NEW.code GLOB '*:spent:' || NEW.year || ':in_natura'))
BEGIN
    SELECT RAISE(ABORT, 'unknown_funding_source: a spending account ends in its year and rijk, cofinanciering_publiek, cofinanciering_privaat or in_natura');
END;
