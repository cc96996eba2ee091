"""The demo ledger grown ``factor`` times: the demo as published, plus synthetic regions whose
beschikkingen are booked like the demo's (a grant, three advances, Rijk spending and
co-financing over two years), until the ledger holds ``factor`` times the demo's beschikkingen
and about as many times its postings. Every booking goes through the service, with every rule.
The demo's own beschikkingen stay as they are, so a read of one of them can be timed on each
size."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from api.demo import load_demo
from ledger.db.engine import make_engine
from ledger.db.rows import posting_table
from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.db.tables import beschikking_table
from ledger.regio.model import (
    Beschikking,
    Deal,
    Envelope,
    FundingSource,
    Instrument,
    Organisation,
    OrganisationType,
    Tranche,
    Who,
)

WHO = Who("bench", "benchmark: a larger ledger")
START, END = date(2024, 1, 1), date(2030, 12, 31)
#: Beschikkingen per synthetic deal, and per synthetic recipient.
PER_DEAL = 10
GRANT = Decimal("1000000.00")


def build_scaled(url: str, factor: int) -> dict[str, int]:
    """The demo, then synthetic beschikkingen up to ``factor`` times the demo's count; answers
    the ledger's size."""
    engine = make_engine(url)
    regio = RegioService(engine)
    load_demo(regio)
    demo_count = _count(engine, beschikking_table)
    extra = demo_count * (factor - 1)
    if extra:
        _grow(regio, extra)
    size = {
        "beschikkingen": _count(engine, beschikking_table),
        "postings": _count(engine, posting_table),
    }
    engine.dispose()
    return size


def _grow(regio: RegioService, extra: int) -> None:
    deals = -(-extra // PER_DEAL)
    budget = Money.of(GRANT * deals * PER_DEAL)
    regio.open_envelope(
        Envelope("E-BENCH", "Benchmark", budget, START, END), key="bench:e", who=WHO
    )
    regio.open_tranche(Tranche("T-BENCH", "E-BENCH", "Benchmark tranche"))
    regio.allocate("T-BENCH", budget, on=START, key="bench:a", who=WHO)
    for d in range(deals):
        recipient = f"GM-BENCH-{d:05d}"
        regio.add_organisation(
            Organisation(recipient, f"Gemeente Bench {d}", OrganisationType.GEMEENTE)
        )
        deal = f"D-BENCH-{d:05d}"
        regio.sign_deal(
            Deal(deal, f"Deal {d}", "T-BENCH", Money.of(GRANT * PER_DEAL), START, END),
            key=f"bench:d:{d}",
            who=WHO,
        )
        for b in range(min(PER_DEAL, extra - d * PER_DEAL)):
            _beschikking(regio, deal, recipient, f"B-BENCH-{d:05d}-{b:02d}")


def _beschikking(regio: RegioService, deal: str, recipient: str, nummer: str) -> None:
    regio.grant(
        Beschikking(nummer, deal, Instrument.SPUK, recipient, Money.of(GRANT), START, START, END),
        key=f"{nummer}:g",
        who=WHO,
    )
    for month in (2, 6, 10):
        regio.pay(
            nummer, Money.of(GRANT / 4), on=date(2024, month, 1), key=f"{nummer}:p{month}", who=WHO
        )
    for year in (2024, 2025):
        for source, share in ((FundingSource.RIJK, 5), (FundingSource.COFINANCIERING_PUBLIEK, 10)):
            regio.record_spending(
                nummer,
                year,
                source,
                Money.of(GRANT / share),
                on=date(year, 12, 31),
                key=f"{nummer}:s{year}{source.value}",
                who=WHO,
                partner=None if source is FundingSource.RIJK else recipient,
            )


def _count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()
