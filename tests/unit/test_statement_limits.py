"""Statement limits: given in code, else from the environment, else the default; a value in
the environment that is no whole number is refused with the variable's name."""

import pytest

from api.statements.limits import StatementLimits


def test_the_environment_sets_a_limit_and_code_wins_over_it(monkeypatch):
    monkeypatch.setenv("REGIOLEDGER_STATEMENT_MAX_CELLS", "1234")
    assert StatementLimits().max_cells == 1234
    assert StatementLimits(max_cells=5).max_cells == 5
    assert StatementLimits().max_columns == 1000


def test_a_limit_that_is_no_whole_number_is_refused(monkeypatch):
    monkeypatch.setenv("REGIOLEDGER_STATEMENT_MAX_FILE_BYTES", "25MB")
    with pytest.raises(ValueError, match="REGIOLEDGER_STATEMENT_MAX_FILE_BYTES"):
        StatementLimits()
