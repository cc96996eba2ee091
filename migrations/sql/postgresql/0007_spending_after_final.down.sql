DROP TRIGGER IF EXISTS posting_no_spending_after_final ON posting;
DROP FUNCTION IF EXISTS regioledger_no_spending_after_final();
