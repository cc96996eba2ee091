"""A command loads only what it uses: ``--help`` and ``verify`` answer without SQLAlchemy,
pandas, pandera, matplotlib, openpyxl or FastAPI; the reading commands without the data and
web libraries. What each costs in time is measured by ``make bench``, never here."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.db import migrate

#: Runs the real entry point in a fresh interpreter and prints the heavy modules it loaded.
PROBE = """
import json, sys
from api.cli.main import main
sys.argv = ["regioledger", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit as done:
    code = done.code
heavy = ("sqlalchemy", "sqlmodel", "pandas", "pandera", "matplotlib", "openpyxl", "fastapi",
         "alembic", "rich", "babel", "hypothesis")
print(json.dumps({"code": code, "loaded": sorted(h for h in heavy if h in sys.modules)}),
      file=sys.stderr)
"""

DATA_AND_WEB = {"pandas", "pandera", "matplotlib", "openpyxl", "fastapi", "hypothesis"}


def loaded(tmp_path: Path, *args: str, url: str) -> tuple[int, set[str], str]:
    env = {**os.environ, "REGIOLEDGER_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    *said, last = done.stderr.strip().splitlines()
    report = json.loads(last)
    return report["code"], set(report["loaded"]), "\n".join(said)


@pytest.fixture
def ledger_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    migrate.upgrade(url)
    return url


def test_help_loads_no_database_data_or_web_library(tmp_path, ledger_url):
    code, found, _ = loaded(tmp_path, "--help", url=ledger_url)
    assert code == 0
    assert found == set(), found


def test_verify_reads_through_the_driver_alone(tmp_path, ledger_url):
    code, found, _ = loaded(tmp_path, "verify", url=ledger_url)
    assert code == 0
    assert found == set(), found


def test_verify_of_an_unmigrated_or_missing_ledger_still_says_so(tmp_path):
    blank = tmp_path / "blank.db"
    blank.write_bytes(b"")
    code, _, said = loaded(tmp_path, "verify", url=f"sqlite:///{blank}")
    assert code == 1 and said.startswith("error [not_migrated]:"), said
    code, _, said = loaded(tmp_path, "verify", url=f"sqlite:///{tmp_path / 'absent.db'}")
    assert code == 1 and said.startswith("error [no_ledger]:"), said
    assert not (tmp_path / "absent.db").exists()  # looking never creates a ledger


@pytest.mark.parametrize(
    "args", [("balance", "nope"), ("journal",), ("trial-balance",)], ids=lambda a: a[0]
)
def test_reading_commands_load_no_data_or_web_library(tmp_path, ledger_url, args):
    _, found, _ = loaded(tmp_path, *args, url=ledger_url)
    assert not found & DATA_AND_WEB, found
