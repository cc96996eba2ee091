"""Peers on the same PostgreSQL, in the same run: django-hordak's transfer (installed into an
environment of the benchmark's own, ``.venv/peers/hordak``, at pinned versions) beside this
ledger's one entry per commit, each from one and from four connections, against the raw
single-INSERT commit rate measured just before. hledger beside ``verify`` and the trial
balance is in ``bench_ledger.py``.

pgledger, the other peer the Performance issue names, is published only as a repository of SQL
files, from no registry this machine installs from; it is left out rather than copied in."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

from ledger.accounts import Account, AccountKind
from ledger.db.service import LedgerService
from tests.benchmarks.bench_api import raw_commit_rate
from tests.benchmarks.harness import Report, Result, fresh_database, scaled
from tests.benchmarks.together import in_threads
from tests.support import C, D, entry

ROOT = Path(__file__).resolve().parents[2]
HORDAK = ROOT / ".venv" / "peers" / "hordak"
HORDAK_PINS = ["django-hordak==2.0.0", "Django==5.2.20", "psycopg[binary]==3.3.9"]
CONNECTIONS = (1, 4)


def hordak_python() -> Path:
    python = HORDAK / "bin" / "python"
    stamp = HORDAK / ".installed"
    if not stamp.exists() or stamp.read_text() != " ".join(HORDAK_PINS):
        venv.create(HORDAK, with_pip=True, clear=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", *HORDAK_PINS], check=True)
        stamp.write_text(" ".join(HORDAK_PINS))
    return python


def hordak_rates(transfers: int) -> dict[str, float]:
    with fresh_database("postgresql", migrated=False) as url:
        done = subprocess.run(
            [hordak_python(), Path(__file__).with_name("peer_hordak.py"), url, str(transfers)]
            + [str(c) for c in CONNECTIONS],
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def ledger_rates(url: str, entries: int) -> dict[str, float]:
    """This ledger: one entry per commit (``LedgerService.post``), each connection paying into
    an account of its own from one shared source, as the peer does."""
    ledger = LedgerService.from_url(url, pool_size=max(CONNECTIONS) + 1)
    rates: dict[str, float] = {}
    for count in CONNECTIONS:
        source, each = f"source-{count}", max(1, entries // count)
        ledger.open_accounts(
            [Account(source, "Source", AccountKind.BUDGET_SOURCE)]
            + [Account(f"{source}-bank-{n}", "Bank", AccountKind.BUDGET) for n in range(count)],
            actor="bench",
        )

        def pay(number: int, source: str = source, each: int = each) -> None:
            bank = f"{source}-bank-{number}"
            for turn in range(each):
                ledger.post(entry(f"{bank}-{turn}", (source, D, "1.00"), (bank, C, "1.00")))

        rates[str(count)] = each * count / in_threads(count, pay)
    ledger.engine.dispose()
    return rates


def run(report: Report, backend: str) -> None:
    transfers = scaled(2000)
    with fresh_database("postgresql") as url:
        raw = raw_commit_rate(url, scaled(1000))
        ours = ledger_rates(url, transfers)
    peer = hordak_rates(transfers)
    for count in CONNECTIONS:
        for who, rates, what in (
            ("django-hordak", peer, "`Account.transfer_to` in `transaction.atomic`"),
            ("regioledger", ours, "`LedgerService.post`, every check on"),
        ):
            report.add(
                Result(
                    f"{who}: one transfer per commit, {count} connection{'s' if count > 1 else ''}",
                    backend,
                    rates[str(count)],
                    "req/s",
                    raw,
                    "commits/s (bare driver, one INSERT per commit)",
                    "- (a peer)" if who != "regioledger" else "- (beside the peer)",
                    None,
                    note=what,
                )
            )


if __name__ == "__main__":  # the peers alone: python -m tests.benchmarks.bench_peers
    alone = Report()
    run(alone, "postgresql")
    print(alone.markdown(), file=sys.stdout)
