"""Load on PostgreSQL, over loopback, bounded in time and clients:

- two uvicorn worker processes on one database: concurrent payments against a small
  beschikking never pay out more than it grants (the limit holds across processes);
- a soak: 8 clients mixing payments, statement uploads, payment corrections and reads for
  ``REGIOLEDGER_SOAK_SECONDS`` (10 in ``make test``, 60 in ``make soak``); afterwards every
  acknowledged write is booked once and nothing else is, verify is clean, and no request got a 5xx.
"""

import os
import random
import subprocess
import threading
import time
from collections import Counter
from datetime import date

import httpx
import pytest
from sqlalchemy import func, select

from api.http.users import add_user
from ledger.db.rows import entry_table
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.service import RegioService
from ledger.regio.db.statements import statement_table
from tests import server
from tests.scenarios.flow import (
    OFFICER,
    eur,
    zwolle_world,
)
from tests.statements.builders import openpyxl_workbook

SOAK_SECONDS = float(os.environ.get("REGIOLEDGER_SOAK_SECONDS", "10"))
CLIENTS = 8


def worker_processes(process: subprocess.Popen) -> int:
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
    )
    return len(children.stdout.split())


@pytest.fixture
def world(postgres_ledger: LedgerService):
    regio = RegioService(postgres_ledger.engine)
    zwolle_world(regio)
    return postgres_ledger, regio


def test_two_workers_never_pay_out_more_than_the_grant(world, postgres_url):
    ledger, regio = world
    regio.pay(
        "RD-2024-001", eur("29999900.00"), on=date(2024, 9, 15), key="most", who=OFFICER
    )  # €100 left to pay
    token = add_user(ledger.engine, "officer", "finance")
    process, base = server.start(postgres_url, workers=2)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def pay(client_number: int) -> None:
        with httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as client:
            for n in range(20):
                response = client.post(
                    "/api/v1/beschikkingen/RD-2024-001/payments",
                    headers={"Idempotency-Key": f"c{client_number}-{n}"},
                    json={"amount": "1.00", "paid_on": "2025-01-10", "reason": "two workers"},
                )
                with lock:
                    statuses[response.status_code] += 1

    try:
        assert worker_processes(process) >= 2
        threads = [threading.Thread(target=pay, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop(process)
    assert (
        statuses[201] == 100 and sum(statuses.values()) == CLIENTS * 20
    )  # exactly the €100 that was left
    assert set(statuses) <= {201, 409, 422}, statuses
    assert ledger.balance("beschikking:RD-2024-001:unpaid").balance.is_zero()
    assert ledger.verify().ok


class Soak:
    """What the clients did and what the server said."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.keys: list[str] = []  # acknowledged payments and payment corrections
        self.uploads = 0  # statements booked anew (201)
        self.reversals = 0
        self.entries: list[int] = []  # payments a correction may pick
        self.statuses: Counter[int] = Counter()

    def saw(self, response: httpx.Response) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1


def soak_client(base: str, token: str, number: int, until: float, soak: Soak) -> None:
    chance = random.Random(number)
    with httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        step = 0
        while time.monotonic() < until:
            step += 1
            key = f"s{number}-{step}"
            roll = chance.random()
            if roll < 0.5:
                response = client.post(
                    "/api/v1/beschikkingen/RD-2024-001/payments",
                    headers={"Idempotency-Key": key},
                    json={
                        "amount": f"{chance.randint(1, 500)}.00",
                        "paid_on": "2025-01-10",
                        "reason": "soak",
                    },
                )
                if response.status_code == 201:
                    with soak.lock:
                        soak.keys.append(key)
                        soak.entries.append(response.json()["entry"])
            elif roll < 0.6:
                rows = [
                    [
                        "RD-2024-001",
                        date(2025, 3, 1),
                        f"Soak {number}-{step}",
                        "Rijk",
                        float(chance.randint(1, 900)),
                        None,
                        "A",
                        key,
                    ]
                ]
                response = client.post(
                    "/api/v1/beschikkingen/RD-2024-001/statements",
                    params={"year": 2025},
                    files={
                        "file": ("soak.xlsx", openpyxl_workbook(rows), "application/octet-stream")
                    },
                )
                if response.status_code == 201:
                    with soak.lock:
                        soak.uploads += 1
            elif roll < 0.7 and soak.entries:
                with soak.lock:
                    target = chance.choice(soak.entries)
                response = client.post(
                    f"/api/v1/beschikkingen/RD-2024-001/payments/{target}/correction",
                    headers={"Idempotency-Key": key},
                    json={"reason": "soak correction", "effective_on": "2025-01-11"},
                )
                if response.status_code == 201:
                    with soak.lock:
                        soak.keys.append(key)
                        soak.reversals += 1
            else:
                path = chance.choice(
                    [
                        "/api/v1/reports/tranches",
                        "/api/v1/beschikkingen",
                        "/api/v1/journal/entries?limit=20",
                    ]
                )
                response = client.get(path)
            soak.saw(response)


def test_a_soak_books_every_acknowledged_write_once_and_nothing_else(world, postgres_url):
    ledger, regio = world
    regio.pay("RD-2024-001", eur("1000000.00"), on=date(2024, 9, 15), key="first", who=OFFICER)
    token = add_user(
        ledger.engine, "officer", "finance"
    )  # finance officers may upload for a region too
    process, base = server.start(postgres_url)
    soak = Soak()
    until = time.monotonic() + SOAK_SECONDS
    try:
        threads = [
            threading.Thread(target=soak_client, args=(base, token, n, until, soak))
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop(process)
    assert not [s for s in soak.statuses if s >= 500], soak.statuses
    assert (
        soak.uploads and soak.reversals and len(soak.keys) > soak.reversals
    )  # every kind of write happened
    with UnitOfWork(ledger.engine) as uow:
        api_keys = set(
            uow.connection.execute(
                select(entry_table.c.key).where(entry_table.c.key.like("api:officer:%"))
            ).scalars()
        )
        booked_statements = uow.connection.execute(
            select(func.count())
            .select_from(statement_table)
            .where(statement_table.c.outcome == "booked")
        ).scalar()
    assert api_keys == {
        f"api:officer:{k}" for k in soak.keys
    }  # every acknowledged write, and no other
    assert booked_statements == soak.uploads
    report = ledger.verify()
    assert report.ok, report.problems[:3]
