"""A user's mistakes at the command line: each gets one clear line on stderr and exit 1 (a
refusal) or 2 (a usage error), never a Python traceback, and books nothing. The whole list
runs through the real ``regioledger`` program."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ledger.db import migrate
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.service import RegioService
from ledger.regio.model import Instrument
from tests.scenarios.flow import (
    OFFICER,
    build_world,
    eur,
    zwolle_beschikking,
    zwolle_deal,
    zwolle_world,
)

REGIOLEDGER = str(Path(sys.executable).parent / "regioledger")
UNREACHABLE = "postgresql://postgres@127.0.0.1:1/nowhere"


@dataclass(frozen=True)
class Misuse:
    arguments: tuple[str, ...]
    status: int
    says: str  # a part of the one line the user reads
    needs_ledger: bool = True  # give --database of the migrated test ledger


def misuses(folder: Path, not_migrated: str) -> dict[str, Misuse]:
    file = folder / "opgave.xlsx"
    return {
        "a database URL that is no URL": Misuse(
            ("verify", "--database", "nope://x"), 1, "invalid_database_url", False
        ),
        "a database that does not answer": Misuse(
            ("verify", "--database", UNREACHABLE), 1, "did not answer", False
        ),
        "a database file that is not there": Misuse(
            ("balance", "x", "--database", f"sqlite:///{folder}/none.db"),
            1,
            "run `regioledger db upgrade`",
            False,
        ),
        "a database that is not migrated": Misuse(
            ("trial-balance", "--database", not_migrated), 1, "run `regioledger db upgrade`", False
        ),
        "serve on a read-only database": Misuse(
            ("serve", "--database", f"sqlite:///file:{folder}/readonly.db?mode=ro&uri=true"),
            1,
            "read_only_database",
            False,
        ),
        "serve on a port that does not exist": Misuse(("serve", "--port", "99999"), 2, "--port"),
        "a month 13": Misuse(("balance", "x", "--as-of", "2025-13-01"), 2, "--as-of"),
        "a date in full-width digits": Misuse(
            ("trial-balance", "--as-of", "２０２５-01-01"), 2, "--as-of"
        ),
        "a recorded time without a zone": Misuse(
            ("balance", "x", "--recorded-as-of", "2025-01-01T10:00"), 2, "time zone"
        ),
        "an unknown account": Misuse(("balance", "nope"), 1, "unknown_account"),
        "the year 1800": Misuse(("sisa", "export", "--year", "1800"), 2, "--year"),
        "a year in full-width digits": Misuse(
            ("sisa", "export", "--year", "２０２５"), 2, "--year"
        ),
        "an unknown recipient": Misuse(
            ("sisa", "export", "--year", "2025", "--recipient", "NOPE"), 1, "organisation_not_found"
        ),
        "a beschikking that is not there": Misuse(
            ("sisa", "explain", "--year", "2025", "--beschikking", "NOPE", "--indicator", "02"),
            1,
            "beschikking_not_found",
        ),
        "a beschikkingsnummer outside the grammar": Misuse(
            ("sisa", "explain", "--year", "2025", "--beschikking", "RD/1", "--indicator", "02"),
            2,
            "--beschikking",
        ),
        "a folder to import": Misuse(
            ("statement", "import", str(folder), "--beschikking", "RD-2024-001", "--year", "2025"),
            2,
            "is a directory",
        ),
        "a file that is not there": Misuse(
            (
                "statement",
                "import",
                str(folder / "none.xlsx"),
                "--beschikking",
                "RD-2024-001",
                "--year",
                "2025",
            ),
            2,
            "does not exist",
        ),
        "errors out into a folder": Misuse(
            (
                "statement",
                "import",
                str(file),
                "--beschikking",
                "RD-2024-001",
                "--year",
                "2025",
                "--errors-out",
                str(folder),
            ),
            2,
            "is a folder",
        ),
        "a template into a missing folder": Misuse(
            (
                "statement",
                "template",
                "--beschikking",
                "RD-2024-001",
                "--year",
                "2025",
                "--out",
                str(folder / "no" / "t.xlsx"),
            ),
            2,
            "does not exist",
        ),
        "a report into a folder": Misuse(
            ("report", "tranches", "--format", "xlsx", "--out", str(folder)), 2, "is a folder"
        ),
        "a backup over a folder": Misuse(("backup", "--out", str(folder)), 2, "is a folder"),
        "a restore of a file that is not there": Misuse(
            ("restore", str(folder / "none.backup")), 2, "does not exist"
        ),
        "an unknown deal": Misuse(("report", "deal", "NOPE"), 1, "deal_not_found"),
        "a user with an unknown role": Misuse(
            ("users", "add", "x", "--role", "king"), 1, "invalid_role"
        ),
        "a user name outside the grammar": Misuse(
            ("users", "add", "a b", "--role", "auditor"), 1, "invalid_identifier"
        ),
        "a lifetime that is no lifetime": Misuse(
            ("users", "add", "x", "--role", "auditor", "--expires-in", "soon"), 2, "--expires-in"
        ),
        "revoking a user who is not there": Misuse(
            ("users", "revoke", "nobody"), 1, "user_not_found"
        ),
        "a C1 control in an argument": Misuse(("journal", "--deal", "X\u009b31m"), 2, "U+009B"),
        "a right-to-left override in an argument": Misuse(
            (
                "sisa",
                "toelichting",
                "--year",
                "2025",
                "--beschikking",
                "RD-2024-001",
                "--text",
                "zie\u202ebijlage",
            ),
            2,
            "U+202E",
        ),
        "a tag character in an argument": Misuse(
            ("deals", "list", "--lang", "nl\U000e0041"), 2, "U+E0041"
        ),
        "a restore of a file that is no backup": Misuse(
            ("restore", str(file), "--database", f"sqlite:///{folder}/restored.db"),
            1,
            "not_a_backup",
            False,
        ),
        "verify on MySQL": Misuse(
            ("verify", "--database", "mysql://root@127.0.0.1/test"),
            1,
            "invalid_database_url",
            False,
        ),
        "verify through an async driver": Misuse(
            ("verify", "--database", "postgresql+asyncpg://postgres@127.0.0.1/test"),
            1,
            "invalid_database_url",
            False,
        ),
        "a downgrade to a revision that is not there": Misuse(
            ("db", "downgrade", "nonsense"), 1, "unknown_revision"
        ),
        "serve on a ledger that is not there": Misuse(
            ("serve", "--database", f"sqlite:///{folder}/typo.db"),
            1,
            "run `regioledger db upgrade`",
            False,
        ),
        "a SiSa export whose format contradicts its file": Misuse(
            (
                "sisa",
                "export",
                "--year",
                "2025",
                "--out",
                str(folder / "z.xlsx"),
                "--format",
                "json",
            ),
            2,
            "--format json contradicts the file name z.xlsx",
        ),
        "a template for a year after the spending period": Misuse(
            ("statement", "template", "--beschikking", "RD-2024-001", "--year", "2030")
            + ("--out", str(folder / "t.xlsx")),
            1,
            "year_outside_spending_period",
        ),
        **{
            f"{' '.join(command)} in German": Misuse((*command, "--lang", "de"), 2, "nl or en")
            for command in (
                ("demo",),
                ("report", "tranches"),
                ("report", "underspending"),
                ("report", "charts", "--out", str(folder / "charts")),
                ("report", "deal", "ZWOLLE-II"),
                ("reconcile", str(file), "--by", "fo"),
            )
        },
    }


@pytest.fixture
def world(ledger: LedgerService, database_url: str, tmp_path: Path):
    zwolle_world(RegioService(ledger.engine), paid="10000000.00")
    not_migrated = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(not_migrated, "0007")
    (tmp_path / "opgave.xlsx").write_bytes(b"PK")
    migrate.upgrade(f"sqlite:///{tmp_path / 'readonly.db'}")
    return ledger, not_migrated


def test_every_mistake_at_the_command_line_gets_one_clear_line(world, database_url, tmp_path):
    ledger, not_migrated = world
    before = ledger.verify()
    table = misuses(tmp_path, not_migrated)

    def run(misuse: Misuse) -> subprocess.CompletedProcess:
        arguments = [
            *misuse.arguments,
            *(["--database", database_url] if misuse.needs_ledger else []),
        ]
        return subprocess.run(
            [REGIOLEDGER, *arguments], capture_output=True, text=True, timeout=300, cwd=tmp_path
        )

    with ThreadPoolExecutor(
        max_workers=4
    ) as pool:  # independent processes; only wall time is shared
        results = dict(zip(table, pool.map(run, table.values()), strict=True))
    for name, misuse in table.items():
        done = results[name]
        lines = done.stderr.strip().splitlines()
        assert done.returncode == misuse.status, (name, done.returncode, done.stderr[-500:])
        assert "Traceback" not in done.stderr + done.stdout, (name, done.stderr[-800:])
        assert len(lines) == 1 and lines[0].startswith("error ["), (name, done.stderr)
        assert misuse.says in lines[0], (name, lines[0])
    after = ledger.verify()
    assert (after.entries_checked, after.last_hash) == (before.entries_checked, before.last_hash)
    assert not (tmp_path / "typo.db").exists() and not (tmp_path / "z.xlsx").exists()
    assert not (tmp_path / "restored.db").exists() and not (tmp_path / "t.xlsx").exists()


def test_a_second_eindverantwoording_is_refused_whatever_its_toelichting(world, database_url):
    def final(toelichting: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [REGIOLEDGER, "sisa", "final", "--year", "2025", "--beschikking", "RD-2024-001"]
            + ["--toelichting", toelichting, "--database", database_url],
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert final("eerste").returncode == 0
    again = final("tweede")
    assert again.returncode == 1 and again.stderr.startswith("error [already_final]")
    with UnitOfWork(world[0].engine) as uow:
        assert regio_rows.toelichting(uow.connection, "RD-2024-001", 2025) == "eerste"


def test_converting_a_du_paid_in_full_says_there_is_nothing_left(ledger, database_url):
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    du = zwolle_beschikking(instrument=Instrument.DU, nummer="RD-DU-1", amount=eur("1000000.00"))
    regio.grant(du, key="grant", who=OFFICER)
    regio.pay("RD-DU-1", eur("1000000.00"), on=date(2024, 9, 15), key="pay", who=OFFICER)
    before = ledger.verify().entries_checked
    done = subprocess.run(
        [REGIOLEDGER, "beschikkingen", "convert", "--beschikking", "RD-DU-1", "--spuk", "RD-S-1"]
        + ["--on", "2025-01-02", "--decided-on", "2025-01-02", "--spending-starts-on"]
        + ["2025-01-02", "--spending-ends-on", "2026-12-31", "--by", "fo", "--reason", "test"]
        + ["--database", database_url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        "error [nothing_to_convert]: DU RD-DU-1 is paid in full: nothing is left to convert "
        "into a SPUK."
    ]
    assert ledger.verify().entries_checked == before


def test_output_into_a_closed_pipe_ends_without_a_traceback():
    """`regioledger --help | head -1` and the like: the reader has gone before the help is
    written. The write fails (EPIPE); the program ends quietly with a status, no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first write fails
    try:
        done = subprocess.run(
            [REGIOLEDGER, "--help"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr, done.stderr[-800:]
    assert done.returncode != 0  # the help was not shown, and the status says so


def test_serve_accepts_a_database_it_can_write_to(database_url):
    """Regression: with SQLAlchemy 2.1 the write check itself failed, so `serve` (and `make
    run`) called every writable SQLite ledger read-only."""
    from api.cli.main import refuse_read_only
    from ledger.db.engine import make_engine

    engine = make_engine(database_url)
    try:
        refuse_read_only(engine, database_url)  # no refusal
    finally:
        engine.dispose()
