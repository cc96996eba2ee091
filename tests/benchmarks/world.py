"""The small Regio Deals world the benchmarks book on: one envelope, tranche and deal, and
one SPUK beschikking of ``amount`` to a gemeente."""

from __future__ import annotations

from datetime import date

from ledger.db.engine import make_engine
from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    Beschikking,
    Deal,
    Envelope,
    Instrument,
    Organisation,
    OrganisationType,
    Tranche,
    Who,
)

WHO = Who("bench", "benchmark")
START, END = date(2024, 1, 1), date(2030, 12, 31)


def build_world(url: str, nummer: str, amount: str) -> None:
    engine = make_engine(url)
    regio = RegioService(engine)
    money = Money.of(amount)
    regio.add_organisation(Organisation("GM-BENCH", "Gemeente Bench", OrganisationType.GEMEENTE))
    regio.open_envelope(Envelope("E", "Envelope", money, START, END), key="e", who=WHO)
    regio.open_tranche(Tranche("T", "E", "Tranche"))
    regio.allocate("T", money, on=START, key="a", who=WHO)
    regio.sign_deal(Deal("D", "Deal", "T", money, START, END), key="d", who=WHO)
    regio.grant(
        Beschikking(nummer, "D", Instrument.SPUK, "GM-BENCH", money, START, START, END),
        key="g",
        who=WHO,
    )
    engine.dispose()
