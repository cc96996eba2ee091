DROP TRIGGER account_spent_names_a_source ON account;
DROP FUNCTION regioledger_spent_names_a_source();
