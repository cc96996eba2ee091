"""Small objects of the Regio Deals, written in the tests, for the rules to judge: each with
sensible defaults that a test changes where it matters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from ledger.money import Money
from ledger.regio.model import (
    Beschikking,
    Deal,
    Envelope,
    Instrument,
    Organisation,
    OrganisationType,
    Pledge,
    PledgeKind,
)


def eur(amount: str | int) -> Money:
    return Money.of(amount)


def usd(amount: str | int) -> Money:
    return Money.of(amount, "USD")


ENVELOPE = Envelope(
    "RE-2", "Regio Envelop 2022-2025", eur(900_000_000), date(2022, 1, 1), date(2025, 12, 31)
)


def envelope(**changes: Any) -> Envelope:
    return replace(ENVELOPE, **changes)


def deal(**changes: Any) -> Deal:
    base = Deal(
        "T5-ZWOLLE",
        "Regio Deal Zwolle",
        "T5",
        eur(10_000_000),
        date(2023, 6, 1),
        date(2027, 12, 31),
        pledges=(Pledge("GM0193", PledgeKind.CASH, eur(10_000_000)),),
    )
    return replace(base, **changes)


def beschikking(**changes: Any) -> Beschikking:
    base = Beschikking(
        "RD-2023-001",
        "T5-ZWOLLE",
        Instrument.SPUK,
        "GM0193",
        eur(10_000_000),
        date(2023, 9, 1),
        date(2023, 9, 1),
        date(2027, 12, 31),
    )
    return replace(base, **changes)


def organisation(
    code: str = "GM0193", kind: OrganisationType = OrganisationType.GEMEENTE
) -> Organisation:
    return Organisation(code, f"Organisatie {code}", kind)
