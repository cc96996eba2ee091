-- Budget articles, the tranches they pay and the budget mutations are written once.
CREATE TRIGGER budget_article_append_only BEFORE UPDATE OR DELETE ON budget_article
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER budget_article_no_truncate BEFORE TRUNCATE ON budget_article
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER budget_article_tranche_append_only BEFORE UPDATE OR DELETE ON budget_article_tranche
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER budget_article_tranche_no_truncate BEFORE TRUNCATE ON budget_article_tranche
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER budget_mutation_append_only BEFORE UPDATE OR DELETE ON budget_mutation
    FOR EACH ROW EXECUTE FUNCTION regioledger_refuse_change();
CREATE TRIGGER budget_mutation_no_truncate BEFORE TRUNCATE ON budget_mutation
    FOR EACH STATEMENT EXECUTE FUNCTION regioledger_refuse_change();
