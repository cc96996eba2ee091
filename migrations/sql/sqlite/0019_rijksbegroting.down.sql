DROP TRIGGER IF EXISTS budget_article_no_delete;
DROP TRIGGER IF EXISTS budget_article_no_change;
DROP TRIGGER IF EXISTS budget_article_tranche_no_delete;
DROP TRIGGER IF EXISTS budget_article_tranche_no_change;
DROP TRIGGER IF EXISTS budget_mutation_no_delete;
DROP TRIGGER IF EXISTS budget_mutation_no_change;
