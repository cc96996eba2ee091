-- Budget articles, the tranches they pay and the budget mutations are written once.
CREATE TRIGGER budget_article_no_change BEFORE UPDATE ON budget_article
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on budget_article is refused; book a new mutation instead');
END;

CREATE TRIGGER budget_article_no_delete BEFORE DELETE ON budget_article
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on budget_article is refused');
END;

CREATE TRIGGER budget_article_tranche_no_change BEFORE UPDATE ON budget_article_tranche
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on budget_article_tranche is refused; book a new mutation instead');
END;

CREATE TRIGGER budget_article_tranche_no_delete BEFORE DELETE ON budget_article_tranche
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on budget_article_tranche is refused');
END;

CREATE TRIGGER budget_mutation_no_change BEFORE UPDATE ON budget_mutation
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: UPDATE on budget_mutation is refused; book a new mutation instead');
END;

CREATE TRIGGER budget_mutation_no_delete BEFORE DELETE ON budget_mutation
BEGIN
    SELECT RAISE(ABORT, 'entry_immutable: DELETE on budget_mutation is refused');
END;

