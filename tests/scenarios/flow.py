"""A small Regio Deals world for scenario tests, built through the service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    Beschikking,
    Deal,
    Envelope,
    Instrument,
    Organisation,
    OrganisationType,
    Pledge,
    PledgeKind,
    Reservation,
    Tranche,
    Who,
)

OFFICER = Who("finance-officer", "scenario test", "test document")


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


ORGANISATIONS = [
    Organisation("GM-ZWOLLE", "Gemeente Zwolle", OrganisationType.GEMEENTE),
    Organisation("PV-OVERIJSSEL", "Provincie Overijssel", OrganisationType.PROVINCIE),
    Organisation("WS-DRENTS", "Waterschap Drents Overijsselse Delta", OrganisationType.WATERSCHAP),
    Organisation("MIN-BZK", "Ministerie van BZK", OrganisationType.RIJK),
    Organisation("BEDRIJF-X", "Bedrijf X", OrganisationType.PRIVAAT),
    Organisation("OL-SABA", "Openbaar lichaam Saba", OrganisationType.OPENBAAR_LICHAAM_BES),
]


def build_world(regio: RegioService, *, tranche_budget: str = "300600000.00") -> None:
    """Envelope 2022-2025 of €900M, tranches 5 and 6 allocated, no deals yet."""
    for organisation in ORGANISATIONS:
        regio.add_organisation(organisation)
    regio.open_envelope(
        Envelope(
            "RE-2022",
            "Regio Envelop 2022-2025",
            eur("900000000.00"),
            date(2022, 1, 1),
            date(2025, 12, 31),
        ),
        key="envelope-RE-2022",
        who=OFFICER,
    )
    for code in ("T5", "T6"):
        regio.open_tranche(Tranche(code, "RE-2022", f"Tranche {code[1]}"))
        regio.allocate(
            code, eur(tranche_budget), on=date(2022, 1, 1), key=f"allocate-{code}", who=OFFICER
        )


def zwolle_deal(**changes) -> Deal:
    values = dict(
        code="ZWOLLE-II",
        name="Zwolle II",
        tranche="T5",
        rijksbijdrage=eur("30000000.00"),
        signed_on=date(2024, 7, 1),
        ends_on=date(2028, 12, 31),
        programme_lines=("A", "B"),
        pledges=(
            Pledge("PV-OVERIJSSEL", PledgeKind.CASH, eur("20000000.00")),
            Pledge("BEDRIJF-X", PledgeKind.IN_KIND, eur("10000000.00")),
        ),
    )
    values.update(changes)
    return Deal(**values)


def zwolle_beschikking(**changes) -> Beschikking:
    values = dict(
        nummer="RD-2024-001",
        deal="ZWOLLE-II",
        instrument=Instrument.SPUK,
        recipient="GM-ZWOLLE",
        amount=eur("30000000.00"),
        decided_on=date(2024, 9, 1),
        spending_starts_on=date(2024, 9, 1),
        spending_ends_on=date(2027, 12, 31),
    )
    values.update(changes)
    return Beschikking(**values)


def saba_deal() -> Deal:
    return Deal("SABA", "Saba", "T5", eur("5000000.00"), date(2024, 7, 1), date(2028, 12, 31))


def saba_beschikking(rate: str = "1.0850") -> Beschikking:
    return Beschikking(
        nummer="BU-SABA-1",
        deal="SABA",
        instrument=Instrument.BU,
        recipient="OL-SABA",
        amount=Money.of("5425000.00", "USD"),
        decided_on=date(2024, 9, 1),
        spending_starts_on=date(2024, 9, 1),
        spending_ends_on=date(2028, 12, 31),
        eur_commitment=eur("5000000.00"),
        usd_per_eur=Decimal(rate),
    )


GRONINGEN = Reservation("T5-GRONINGEN", "T5", "Reserve for proposals from Groningen")


def zwolle_world(regio: RegioService, paid: str | None = None) -> None:
    """The standard test world with deal Zwolle II signed and beschikking RD-2024-001 granted
    (and, if ``paid`` is given, that much paid on 15 September 2024)."""
    build_world(regio)
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    if paid is not None:
        regio.pay("RD-2024-001", eur(paid), on=date(2024, 9, 15), key="pay", who=OFFICER)
