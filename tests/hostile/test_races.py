"""Races on one Idempotency-Key, over a real server, with requests sent at the same moment (a
barrier releases both threads): claiming the key is atomic with the work, so two different
requests under one key never both act, on SQLite and PostgreSQL."""

import threading
from datetime import date

import httpx
import pytest

from api.http.users import add_user
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.service import RegioService
from ledger.regio.db.statements import current_lines
from tests import server
from tests.scenarios.flow import zwolle_world
from tests.statements.builders import openpyxl_workbook

NUMMER = "RD-2024-001"
ROUNDS = 5


@pytest.fixture
def served(ledger: LedgerService, database_url: str):
    zwolle_world(RegioService(ledger.engine), paid="10000000.00")
    tokens = {
        "region": add_user(ledger.engine, "zwolle", "region", "GM-ZWOLLE"),
        "finance": add_user(ledger.engine, "fo", "finance"),
    }
    with server.running(database_url) as base:
        yield base, tokens


def at_once(*requests) -> list[httpx.Response]:  # noqa: ANN002 - callables that make one request
    barrier = threading.Barrier(len(requests))
    answers: list[httpx.Response | None] = [None] * len(requests)

    def send(number: int) -> None:
        barrier.wait()
        answers[number] = requests[number]()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers  # type: ignore[return-value]


def workbook(amount: float, round_number: int) -> bytes:
    return openpyxl_workbook(
        [[NUMMER, date(2025, 3, 1), f"Factuur {round_number}", "Rijk", amount, None, "A", "F1"]]
    )


def booked_2025(ledger: LedgerService) -> list:
    with UnitOfWork(ledger.engine) as uow:
        return [line for line in current_lines(uow.connection, NUMMER) if line.year == 2025]


def test_two_different_workbooks_under_one_key_book_one(served, ledger):
    base, tokens = served
    region = {"Authorization": f"Bearer {tokens['region']}"}
    for round_number in range(ROUNDS):
        key = {"Idempotency-Key": f"upload-{round_number}"}
        files = [
            workbook(100.0 + round_number, round_number),
            workbook(200.0 + round_number, round_number),
        ]

        def upload(content: bytes, key: dict[str, str] = key):  # noqa: ANN202
            return lambda: httpx.post(
                f"{base}/api/v1/beschikkingen/{NUMMER}/statements",
                params={"year": 2025},
                files={"file": ("opgave.xlsx", content)},
                headers={**region, **key},
                timeout=60,
            )

        first, second = at_once(upload(files[0]), upload(files[1]))
        assert sorted([first.status_code, second.status_code]) == [201, 409], (
            first.text,
            second.text,
        )
        winner = first if first.status_code == 201 else second
        loser = second if winner is first else first
        assert loser.json()["code"] == "idempotency_conflict"
        lines = booked_2025(ledger)
        assert [line.amount for line in lines] == [
            int(float(winner.json()["totals"]["rijk"]) * 100)
        ]
        replay = upload(files[0] if winner is first else files[1])()
        assert (replay.status_code, replay.json()) == (201, winner.json())
        assert replay.headers["idempotent-replayed"] == "true"
    assert ledger.verify().ok


def test_one_payment_sent_twice_at_once_under_one_key_books_once(served, ledger):
    base, tokens = served
    finance = {"Authorization": f"Bearer {tokens['finance']}"}
    before = ledger.balance(f"beschikking:{NUMMER}:paid").balance
    for round_number in range(ROUNDS):
        key = {"Idempotency-Key": f"pay-{round_number}"}

        def pay(key=key):
            return httpx.post(
                f"{base}/api/v1/beschikkingen/{NUMMER}/payments",
                timeout=60,
                json={"amount": "1.00", "paid_on": "2025-01-10", "reason": "race"},
                headers={**finance, **key},
            )

        first, second = at_once(pay, pay)
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
    paid = ledger.balance(f"beschikking:{NUMMER}:paid").balance - before
    assert paid.minor_units == ROUNDS * 100  # one euro per key, never two


def test_two_genuine_payments_without_a_key_are_two(served, ledger):
    """Alike is not the same: without an Idempotency-Key nothing is ever merged."""
    base, tokens = served
    finance = {"Authorization": f"Bearer {tokens['finance']}"}
    before = ledger.balance(f"beschikking:{NUMMER}:paid").balance
    body = {"amount": "1.00", "paid_on": "2025-01-10", "reason": "twee gelijke facturen"}
    first, second = at_once(
        *[
            lambda: httpx.post(
                f"{base}/api/v1/beschikkingen/{NUMMER}/payments",
                json=body,
                headers=finance,
                timeout=60,
            )
        ]
        * 2
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["entry"] != second.json()["entry"]
    assert (ledger.balance(f"beschikking:{NUMMER}:paid").balance - before).minor_units == 200
