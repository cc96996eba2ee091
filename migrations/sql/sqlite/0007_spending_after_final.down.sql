DROP TRIGGER IF EXISTS posting_no_spending_after_final;
