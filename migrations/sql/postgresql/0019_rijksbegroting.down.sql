DROP TRIGGER IF EXISTS budget_article_no_truncate ON budget_article;
DROP TRIGGER IF EXISTS budget_article_append_only ON budget_article;
DROP TRIGGER IF EXISTS budget_article_tranche_no_truncate ON budget_article_tranche;
DROP TRIGGER IF EXISTS budget_article_tranche_append_only ON budget_article_tranche;
DROP TRIGGER IF EXISTS budget_mutation_no_truncate ON budget_mutation;
DROP TRIGGER IF EXISTS budget_mutation_append_only ON budget_mutation;
