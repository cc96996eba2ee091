"""`regioledger verify` catches what the triggers would have refused, once they are gone."""

import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli.main import app
from ledger.db.service import LedgerService
from tests.support import BUDGET_ACCOUNTS, C, D, entry

runner = CliRunner()


@pytest.fixture
def booked(ledger: LedgerService) -> LedgerService:
    ledger.open_accounts(BUDGET_ACCOUNTS, actor="setup")
    ledger.post(entry("budget", ("rijksbegroting", D, "100.00"), ("tranche-5", C, "100.00")))
    ledger.post(entry("commit", ("tranche-5", D, "40.00"), ("deal-zwolle", C, "40.00")))
    ledger.post(entry("more", ("tranche-5", D, "10.00"), ("deal-zwolle", C, "10.00")))
    return ledger


def drop_immutability(ledger: LedgerService) -> None:
    with ledger.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE posting DISABLE TRIGGER posting_immutable"))
            connection.execute(
                text("ALTER TABLE journal_entry DISABLE TRIGGER journal_entry_immutable")
            )
        else:
            connection.execute(text("DROP TRIGGER posting_no_update"))
            connection.execute(text("DROP TRIGGER journal_entry_no_update"))


def test_verify_is_clean_on_a_sound_journal(booked):
    result = runner.invoke(
        app, ["verify", "--database", str(booked.engine.url.render_as_string(False))]
    )
    assert result.exit_code == 0, result.output
    assert "OK" in result.output
    assert "Checked 3 entries" in result.output


def test_a_tampered_amount_is_caught_and_named(booked):
    drop_immutability(booked)
    with booked.engine.begin() as connection:
        connection.execute(
            text("UPDATE posting SET amount = 4100 WHERE entry_id = 2 AND position = 0")
        )
    report = booked.verify()
    assert not report.ok
    first = report.first_problem
    assert (first.code, first.entry) == ("content_tampered", "commit")
    url = booked.engine.url.render_as_string(False)
    result = runner.invoke(app, ["verify", "--database", url, "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["ok"] is False
    assert payload["problems"][0]["entry"] == "commit"
    text_result = runner.invoke(app, ["verify", "--database", url])
    assert text_result.exit_code == 1
    assert "BROKEN: first problem [content_tampered] entry 2 (commit)" in text_result.output


def test_a_rewritten_memo_is_caught(booked):
    drop_immutability(booked)
    with booked.engine.begin() as connection:
        connection.execute(text("UPDATE journal_entry SET memo = 'nothing to see' WHERE id = 3"))
    assert [(p.code, p.entry) for p in booked.verify().problems] == [("content_tampered", "more")]


def test_a_rehashed_entry_still_breaks_the_chain(booked):
    """Someone who rewrites an entry and its own digest still cannot fix the next link."""
    drop_immutability(booked)
    with booked.engine.begin() as connection:
        connection.execute(
            text("UPDATE journal_entry SET entry_hash = :h WHERE id = 2"), {"h": "f" * 64}
        )
    codes = [(p.code, p.entry) for p in booked.verify().problems]
    assert ("hash_mismatch", "commit") in codes
    assert ("chain_broken", "more") in codes


def test_changed_account_totals_are_caught(ledger):
    ledger.open_accounts(BUDGET_ACCOUNTS, actor="setup")
    ledger.post(entry("budget", ("rijksbegroting", D, "100.00"), ("tranche-5", C, "100.00")))
    with ledger.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE account DISABLE TRIGGER account_guard"))
        connection.execute(text("UPDATE account SET credit_total = 99999 WHERE code = 'tranche-5'"))
    assert [(p.code, p.account) for p in ledger.verify().problems] == [
        ("account_totals_mismatch", "tranche-5")
    ]


def test_a_reversal_is_checked_against_its_original_read_back_from_the_journal(booked):
    """verify keeps no entry it has checked: a reversal's original is read back by its key.
    A sound reversal is clean; one relinked to another entry is no mirror image of it."""
    booked.reverse("commit", key="undo", actor="fo", reason="dubbel geboekt")
    assert booked.verify().problems == []
    drop_immutability(booked)
    with booked.engine.begin() as connection:
        connection.execute(text("UPDATE journal_entry SET reverses_id = 3 WHERE key = 'undo'"))
    codes = {(p.code, p.entry) for p in booked.verify().problems}
    assert ("reversal_not_mirror", "undo") in codes
