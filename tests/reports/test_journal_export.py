"""The journal exported for hledger and beancount: each engine accepts the file (``hledger
check --strict``, ``bean-check``) and computes every account's balance, now and as of a date,
as our trial balance does. On the demo ledger and on random histories with awkward text.
hledger is Debian's package (``.ci/run`` installs it); in CI its absence fails the tests."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.cli.main import app
from api.demo import load_demo
from ledger.accounts import Account, AccountKind, Side
from ledger.db.service import LedgerService
from ledger.entries import JournalEntry, Posting
from ledger.money import Money
from ledger.regio.db.service import RegioService
from tests.api.test_http import api  # noqa: F401 - the fixture

HLEDGER = shutil.which("hledger")
if HLEDGER is None and os.environ.get("CI") == "true":
    raise RuntimeError("CI needs hledger for the export tests (.ci/run installs Debian's package)")
needs_hledger = pytest.mark.skipif(HLEDGER is None, reason="hledger is not installed")
runner = CliRunner()


def export(url: str, fmt: str, target: Path, as_of: date | None = None) -> Path:
    args = ["export", "--format", fmt, "--out", str(target), "--database", url]
    result = runner.invoke(app, [*args, *(["--as-of", as_of.isoformat()] if as_of else [])])
    assert result.exit_code == 0, result.output
    return target


def ours(ledger: LedgerService, as_of: date | None = None) -> dict[str, tuple[Decimal, str]]:
    """Each account's debits minus credits, as our trial balance has them."""
    return {
        b.account: ((b.debit_total - b.credit_total).amount, b.debit_total.currency)
        for b in ledger.trial_balance(as_of=as_of).balances
    }


def hledger_balances(journal: Path, *extra: str) -> dict[str, tuple[Decimal, str]]:
    subprocess.run([HLEDGER, "-f", str(journal), "check", "--strict"], check=True)
    output = subprocess.run(
        [HLEDGER, "-f", str(journal), "bal", "--flat", "-N", "-E", "-O", "csv", *extra],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for row in csv.DictReader(io.StringIO(output)):
        if row["balance"] == "0":
            found[row["account"]] = (Decimal("0.00"), "")
            continue
        currency, amount = row["balance"].split(" ")
        found[row["account"]] = (Decimal(amount), currency)
    return found


def beancount_balances(path: Path) -> dict[str, tuple[Decimal, str]]:
    from beancount import loader
    from beancount.core import data

    subprocess.run([str(Path(sys.executable).parent / "bean-check"), str(path)], check=True)
    entries, errors, _ = loader.load_file(str(path))
    assert errors == []
    code_of = {e.account: e.meta["code"] for e in entries if isinstance(e, data.Open)}
    found = {code: (Decimal("0.00"), "") for code in code_of.values()}
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for p in entry.postings:
                before, _ = found[code_of[p.account]]
                found[code_of[p.account]] = (before + p.units.number, p.units.currency)
    return found


def same(engine: dict, ledger: dict) -> bool:
    """Equal balances for every account either knows (an account the engine never saw a
    posting on is at zero); a zero balance needs no currency."""
    zero = (Decimal("0.00"), "")
    accounts = set(engine) | set(ledger)
    return all(engine.get(a, zero)[0] == ledger.get(a, zero)[0] for a in accounts) and all(
        engine.get(a, zero)[1] in ("", ledger[a][1]) for a in ledger
    )


@needs_hledger
def test_the_demo_exported_balances_the_same_in_both_engines_now_and_as_of_a_date(tmp_path, ledger):
    load_demo(RegioService(ledger.engine))
    url = ledger.engine.url.render_as_string(hide_password=False)
    journal = export(url, "hledger", tmp_path / "demo.journal")
    beancount = export(url, "beancount", tmp_path / "demo.beancount")
    assert same(hledger_balances(journal), ours(ledger))
    assert same(beancount_balances(beancount), ours(ledger))
    day = date(2023, 12, 31)
    assert same(hledger_balances(journal, "-e", "2024-01-01"), ours(ledger, day))
    earlier = export(url, "beancount", tmp_path / "2023.beancount", as_of=day)
    assert same(beancount_balances(earlier), ours(ledger, day))
    text = journal.read_text(encoding="utf-8")
    assert "; source: Kamerbrief 'Voortgangsrapportage Regio Deals 2022'" in text
    assert "commodity USD" in text  # the islands' BU in dollars


ODD = st.text(
    alphabet=st.sampled_from(list("aZ09 ;\"'\\,:()€éß-")), min_size=1, max_size=30
).filter(lambda s: s.strip())
ENTRY = st.tuples(
    st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=1, max_value=10**12),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=3),
    ODD,
    ODD,
)
ACCOUNTS = [
    Account("asset:bank", "Bank", AccountKind.ASSET),
    Account("budget:T1:available", "Tranche", AccountKind.BUDGET),
    Account("budget_source:RE_2018", "Envelop", AccountKind.BUDGET_SOURCE),
    Account("expense:x.y", "Kosten", AccountKind.EXPENSE),
]


@needs_hledger
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.today("2030-12-31")  # random dates up to 2030
@given(history=st.lists(ENTRY, min_size=1, max_size=12))
def test_a_random_history_with_odd_text_balances_the_same_in_both_engines(
    history, database_factory, tmp_path_factory
):
    url = database_factory()
    ledger = LedgerService.from_url(url)
    ledger.open_accounts(ACCOUNTS, actor="test")
    for number, (day, amount, debit, credit, memo, reason) in enumerate(history):
        if debit == credit:
            credit = (credit + 1) % len(ACCOUNTS)
        money = Money.from_minor_units(amount)
        ledger.post(
            JournalEntry(
                key=f"e{number}",
                effective_on=day,
                memo=memo,
                actor="test",
                reason=reason,
                source_document=memo,
                postings=(
                    Posting(ACCOUNTS[debit].code, Side.DEBIT, money),
                    Posting(ACCOUNTS[credit].code, Side.CREDIT, money),
                ),
            )
        )
    folder = tmp_path_factory.mktemp("history")
    assert same(hledger_balances(export(url, "hledger", folder / "h.journal")), ours(ledger))
    assert same(beancount_balances(export(url, "beancount", folder / "h.beancount")), ours(ledger))
    ledger.engine.dispose()


@needs_hledger
def test_an_auditor_downloads_the_journal_over_http_and_hledger_agrees(api, ledger, tmp_path):  # noqa: F811
    client, headers = api
    answer = client.get(
        "/api/v1/journal/export", params={"format": "hledger"}, headers=headers["auditor"]
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    journal = tmp_path / "download.journal"
    journal.write_bytes(answer.content)
    assert same(hledger_balances(journal), ours(ledger))
    wrong = client.get(
        "/api/v1/journal/export", params={"format": "ledger"}, headers=headers["auditor"]
    )
    assert wrong.status_code == 422


@needs_hledger
def test_hledger_and_fava_read_every_entrys_metadata_whole(tmp_path, ledger):
    """On the demo (sources with commas and URLs): ``hledger tags`` finds only the export's own
    tags, ``hledger print`` reads each entry's metadata whole, as beancount reads the same
    entry's (a comma written as a semicolon); Fava's loader opens the beancount file with no
    error, its title and operating currency set."""
    from fava.core import FavaLedger

    from reports.journal_export import tag_value

    load_demo(RegioService(ledger.engine))
    url = ledger.engine.url.render_as_string(hide_password=False)
    journal = export(url, "hledger", tmp_path / "demo.journal")
    beancount_file = export(url, "beancount", tmp_path / "demo.beancount")

    def hledger(*args: str) -> str:
        command = [HLEDGER, "-f", str(journal), *args]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    tags = set(hledger("tags").split())
    own = {"type", "kind", "entry", "key", "memo", "actor", "reason", "source", "reverses"}
    assert {"entry", "key", "actor", "reason", "source"} <= tags <= own
    fava = FavaLedger(str(beancount_file))
    assert fava.errors == [] and fava.options["title"] == "regioledger"
    assert fava.options["operating_currency"] == ["EUR"]
    from beancount.core import data

    meta = {e.meta["entry"]: e.meta for e in fava.all_entries if isinstance(e, data.Transaction)}
    read = json.loads(hledger("print", "-O", "json"))
    assert len(read) == len(meta) > 0
    with_comma = with_url = 0
    for transaction in read:
        found = dict(transaction["ttags"])
        wanted = meta[int(found["entry"])]
        for name in ("key", "actor", "reason", "source", "reverses"):
            assert found.get(name) == (tag_value(wanted[name]) if name in wanted else None), (
                found["entry"],
                name,
            )
        with_comma += "," in str(wanted.get("source", ""))
        with_url += "https:" in found.get("source", "")
    assert with_comma > 0 and with_url > 0  # the cases that once split a value
