"""The outside fuzzer agrees with the schema: schemathesis's own command line (`st run`) against
a served ledger over HTTP, with every check (`--checks all`) and every phase, stateful included
(it follows the schema's links from what a POST made to the GET that reads it), on SQLite and
PostgreSQL. A schema-valid request is never refused as invalid, an invalid one never accepted,
no answer is a 5xx or off its documented shape; and the ledger it leaves verifies.

The seed is fixed so that a run can be repeated; settings are in ``schemathesis.toml`` beside
this file. The phases run in three tests per database (the schema's own examples and boundaries;
generated requests; generated sequences of them), so that the suite's workers share them."""

import subprocess
import sys
from pathlib import Path

import pytest

from api.http.users import add_user
from ledger.db.service import LedgerService
from ledger.regio.db.service import RegioService
from tests import server
from tests.scenarios.flow import zwolle_world

ST = str(Path(sys.executable).parent / "st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = "20261201"
PHASES = ["examples,coverage", "fuzzing", "stateful"]
pytestmark = pytest.mark.heavy


@pytest.mark.parametrize("phases", PHASES)
def test_st_run_with_every_check_and_phase_finds_nothing(
    ledger: LedgerService, database_url: str, phases: str
):
    zwolle_world(RegioService(ledger.engine), paid="1000000.00")
    token = add_user(ledger.engine, "fuzzer", "finance")
    with server.running(database_url) as base:
        done = subprocess.run(
            [
                ST,
                "--config-file",
                str(CONFIG),
                "run",
                f"{base}/openapi.json",
                "--checks",
                "all",
                "--phases",
                phases,
                "--max-examples",
                "20",
                "--workers",
                "1",
                "--seed",
                SEED,
                "-H",
                f"Authorization: Bearer {token}",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=1800,
        )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "failures" not in done.stdout.splitlines()[-1]
    assert "stateful" not in phases or "Stateful" in done.stdout
    assert ledger.verify().ok
