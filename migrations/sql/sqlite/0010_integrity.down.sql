DROP TRIGGER posting_no_spending_after_final;

CREATE TRIGGER posting_no_spending_after_final BEFORE INSERT ON posting
WHEN NEW.side = 'credit' AND EXISTS (
    SELECT 1 FROM account a JOIN beschikking_event e ON e.beschikking = a.beschikking AND e.kind = 'final'
    WHERE a.id = NEW.account_id AND a.code LIKE 'beschikking:%:spent:%'
)
BEGIN
    SELECT RAISE(ABORT, 'year_final: the eindverantwoording of this beschikking is made; nothing more is spent on it');
END;
