"""Crash safety: the process is killed (SIGKILL) at random moments in the middle of a large
statement import and in the middle of a stream of API writes, on SQLite and PostgreSQL.
After every kill, `verify` is clean, a statement is either fully booked or absent, and every
write the client saw acknowledged is there (and a retry of the one in flight books it once)."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from api.http.users import add_user
from ledger.accounts import Dimensions
from ledger.db.rows import load_entries
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.service import RegioService
from ledger.regio.db.statements import current_lines
from tests import server
from tests.scenarios.flow import (
    zwolle_world,
)
from tests.statements.builders import openpyxl_workbook

ROWS = 20_000
KILLS = int(os.environ.get("REGIOLEDGER_FAULT_KILLS", "4"))
PYTHON = sys.executable
REGIOLEDGER = str(Path(sys.executable).parent / "regioledger")


@pytest.fixture
def world(ledger: LedgerService):
    zwolle_world(RegioService(ledger.engine), paid="10000000.00")
    return ledger


def statement(cents_per_row: int) -> tuple[bytes, int]:
    """A statement of ROWS lines of the same amount: its total tells which file was booked."""
    amount = Decimal(cents_per_row) / 100
    rows = [
        ["RD-2024-001", date(2025, 3, 1), f"Regel {n}", "Rijk", float(amount), None, "A", f"R{n}"]
        for n in range(ROWS)
    ]
    return openpyxl_workbook(rows), cents_per_row * ROWS


def spent_cents(ledger: LedgerService) -> int:
    """Rijk spending of 2025 so far; none at all while no statement was ever booked (a kill
    can come before the first booking opens the account, on a slow machine even each time)."""
    found = ledger.balances(dimensions=Dimensions(beschikking="RD-2024-001", year=2025))
    return sum(b.balance.minor_units for b in found if b.account.endswith(":spent:2025:rijk"))


def import_process(database_url: str, file: Path, *before: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            *before,
            "statement",
            "import",
            str(file),
            "--beschikking",
            "RD-2024-001",
            "--year",
            "2025",
            "--database",
            database_url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(marker: Path, process: subprocess.Popen) -> None:
    """Until the process reaches its stage (the timeout only guards against a hung test)."""
    deadline = time.monotonic() + 600
    while not marker.exists():
        assert process.poll() is None, "the import ended before it reached its stage"
        assert time.monotonic() < deadline, "the import never reached its stage"
        time.sleep(0.05)


def booked_statement(world: LedgerService) -> tuple[int, int]:
    """Rijk spending of 2025 and the number of current statement lines behind it."""
    report = world.verify()
    assert report.ok, report.problems[:3]
    with UnitOfWork(world.engine) as uow:
        lines = [line for line in current_lines(uow.connection, "RD-2024-001") if line.year == 2025]
    assert sum(line.amount for line in lines) == spent_cents(world)
    return spent_cents(world), len(lines)


@pytest.mark.parametrize("stage", ["reading", "booking"])
def test_an_import_killed_at_a_known_point_leaves_nothing(world, database_url, tmp_path, stage):
    """Killed while reading, or inside the write transaction with every row written but not
    committed: afterwards nothing of it is in the ledger, and the ledger verifies."""
    content, _ = statement(100)
    file, marker = tmp_path / "opgave.xlsx", tmp_path / "marker"
    file.write_bytes(content)
    process = import_process(
        database_url, file, PYTHON, "-m", "tests.faults.pausing_import", str(marker), stage
    )
    wait_for(marker, process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert booked_statement(world) == (0, 0)
    done = subprocess.run(
        [
            REGIOLEDGER,
            "statement",
            "import",
            str(file),
            "--beschikking",
            "RD-2024-001",
            "--year",
            "2025",
            "--database",
            database_url,
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr  # the same file again is booked whole
    assert booked_statement(world) == (100 * ROWS, ROWS)


def test_a_killed_statement_import_is_fully_booked_or_absent(world, database_url, tmp_path):
    """Kills at random moments: whatever the moment, one whole statement or none."""
    random.seed(os.environ.get("REGIOLEDGER_FAULT_SEED", "2026"))
    totals = {0}
    for attempt in range(KILLS):
        content, total = statement(
            100 + attempt
        )  # a new file each time: each import does real work
        file = tmp_path / f"opgave-{attempt}.xlsx"
        file.write_bytes(content)
        process = import_process(database_url, file, REGIOLEDGER)
        time.sleep(random.uniform(0.2, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        totals.add(total)
        booked, lines = booked_statement(world)
        assert booked in totals  # one whole statement (this one or an earlier one), or none
        assert lines in (0, ROWS)


def pay_until_stopped(
    port: int,
    token: str,
    prefix: str,
    in_flight: list[str],
    acknowledged: list[str],
    stop: threading.Event,
) -> None:
    """Payments one after another; a key counts as acknowledged only once its 201 is read."""
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}, timeout=5
    ) as client:
        number = 0
        while not stop.is_set():
            key = f"{prefix}-p{number}"
            in_flight[:] = [key]
            try:
                response = client.post(
                    "/api/v1/beschikkingen/RD-2024-001/payments",
                    headers={"Idempotency-Key": key},
                    json={"amount": "1.00", "paid_on": "2025-01-10", "reason": "crash test"},
                )
            except httpx.HTTPError:
                return  # the server is gone: this one was never acknowledged
            assert response.status_code == 201, response.text
            acknowledged.append(key)
            number += 1


def test_acknowledged_api_writes_survive_a_killed_server(world, database_url):
    random.seed(os.environ.get("REGIOLEDGER_FAULT_SEED", "2026"))
    token = add_user(world.engine, "officer", "finance")
    acknowledged: list[str] = []
    for round_number in range(3):
        port = server.free_port()
        process, _ = server.start(database_url, port)
        in_flight: list[str] = []
        stop = threading.Event()

        client = threading.Thread(
            target=pay_until_stopped,
            args=(port, token, f"r{round_number}", in_flight, acknowledged, stop),
        )
        client.start()
        wanted = len(acknowledged) + random.randint(3, 40)  # a kill after this many answers
        while len(acknowledged) < wanted and client.is_alive():
            time.sleep(0.01)
        server.kill(process)
        stop.set()
        client.join(timeout=10)
        report = world.verify()
        assert report.ok, report.problems[:3]
        with UnitOfWork(world.engine) as uow:
            found = {
                e.key
                for e in load_entries(
                    uow.connection, keys=[f"api:officer:{k}" for k in acknowledged]
                )
            }
        assert found == {
            f"api:officer:{k}" for k in acknowledged
        }  # every acknowledged write is there
        retry, _ = server.start(
            database_url, port
        )  # the same port: clients come back where they were
        try:
            for _ in range(2):  # the request in flight, retried: booked exactly once
                response = httpx.post(
                    f"http://127.0.0.1:{port}/api/v1/beschikkingen/RD-2024-001/payments",
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": in_flight[0]},
                    json={"amount": "1.00", "paid_on": "2025-01-10", "reason": "crash test"},
                    timeout=10,
                )
                assert response.status_code == 201
            acknowledged.append(in_flight[0])
        finally:
            server.kill(retry)
    paid = world.balance("beschikking:RD-2024-001:paid").balance.minor_units
    assert paid == 1_000_000_000 + 100 * len(
        acknowledged
    )  # the first payment plus one euro per acknowledged write
    assert len(acknowledged) > 3
