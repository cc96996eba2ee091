"""The demo ledger: the published Regio Deals figures, each with its source, plus a clearly
labelled illustrative part (beschikkingen, payments, spending, co-financing) for what is not
public. Every booking has a fixed key, so loading twice books nothing new."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    Beschikking,
    Deal,
    Envelope,
    FundingSource,
    Instrument,
    Organisation,
    OrganisationType,
    Pledge,
    PledgeKind,
    Reservation,
    Tranche,
    Who,
)
from ledger.rounding import convert

FIGURES = Path(__file__).resolve().parent / "data" / "public-figures.csv"
ILLUSTRATIVE = "illustratief (demo): niet gepubliceerd"
USD_PER_EUR = Decimal("1.0850")  # illustratief
ENVELOPE_PERIODS = {
    "RE-2018": (date(2018, 2, 19), date(2022, 12, 31)),
    "RE-2022": (date(2022, 1, 1), date(2025, 12, 31)),
}
TRANCHE_ENVELOPE = {"T3": "RE-2018", "T4": "RE-2022", "T5": "RE-2022", "T6": "RE-2022"}
PLAN_DATE = date(2022, 1, 1)
#: Tranches 1-3 came from the Regio Envelop under LNV, tranche 4 on from the 2022-2025 budget
#: under BZK (now VRO): two regelingen, each its own SiSa block.
REBEL = (
    "Rebel, onderzoek naar de rode draden van de Regio Deals voor BZK/VRO, bij Kamerstuk 29 697, nr. 157 "
    "(14 november 2024): 'onder coördinatie van het toenmalige ministerie van LNV' (2018-2022) en "
    "'onder coördinatie van het ministerie van BZK, nu VRO' (2022-2025)"
)
REGELINGEN = {
    "RD-LNV": (
        "Regio Deals uit de Regio Envelop 2018-2022 (tranches 1-3)",
        "Ministerie van LNV",
        ("T3",),
    ),
    "RD-BZK": (
        "Regio Deals 2022-2025 (tranche 4 en verder)",
        "Ministerie van BZK (nu VRO)",
        ("T4", "T5", "T6"),
    ),
}


@dataclass(frozen=True)
class Figure:
    kind: str
    key: str
    name: str
    amount: Money
    on: date
    instrument: str
    source: str


def read_figures(path: Path = FIGURES) -> list[Figure]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Figure(
                row["kind"],
                row["key"],
                row["name"],
                Money.of(row["amount_eur"]),
                date.fromisoformat(row["date"]),
                row["instrument"],
                row["source"],
            )
            for row in csv.DictReader(handle)
        ]


def published(source: str) -> Who:
    return Who("demo-loader", "Gepubliceerd cijfer", source)


ILLUSTRATIVE_WHO = Who("demo-loader", "Illustratieve demo-gegevens", ILLUSTRATIVE)


def demo_steps(figures: list[Figure] | None = None) -> int:
    """How many steps ``load_demo`` reports: two per deal (signing, then its illustration)."""
    return 2 * sum(1 for f in (figures or read_figures()) if f.kind == "deal")


def load_demo(
    regio: RegioService,
    figures: list[Figure] | None = None,
    step: Callable[[], None] = lambda: None,
) -> None:
    figures = figures or read_figures()
    _load_budgets(regio, figures)
    deals = [_deal(f) for f in figures if f.kind == "deal"]
    for deal, figure in zip(deals, [f for f in figures if f.kind == "deal"], strict=True):
        _organisations(regio, deal, figure)
        regio.sign_deal(deal, key=f"demo:sign:{deal.code}", who=published(figure.source))
        step()
    for deal, figure in zip(deals, [f for f in figures if f.kind == "deal"], strict=True):
        if deal.tranche in ("T4", "T5"):
            _illustrate(regio, deal, figure.instrument)
        step()
    for figure in figures:
        if figure.kind in (
            "tranche",
            "tranche_planned",
            "tranche_after_shift",
            "announcement",
            "budget_transfer",
        ):
            regio.add_published_figure(
                figure.kind, figure.key, figure.name, figure.amount, figure.on, figure.source
            )


def _load_budgets(regio: RegioService, figures: list[Figure]) -> None:
    for f in (f for f in figures if f.kind == "envelope"):
        starts, ends = ENVELOPE_PERIODS[f.key]
        regio.open_envelope(
            Envelope(f.key, f.name, f.amount, starts, ends),
            key=f"demo:envelope:{f.key}",
            who=published(f.source),
        )
    for code, envelope in TRANCHE_ENVELOPE.items():
        regio.open_tranche(Tranche(code, envelope, f"Tranche {code[1:]}"))
    for regeling, (name, ministry, tranches) in REGELINGEN.items():
        regio.add_regeling(regeling, name, ministry, REBEL, who=published(REBEL))
        for tranche in tranches:
            regio.assign_regeling(tranche, regeling, who=published(REBEL))
    for f in figures:
        if f.kind in ("tranche", "tranche_planned"):
            source = (
                f.source
                if f.kind == "tranche_planned"
                else f"envelope plan 284.2/300.6/300.6 (secondary sources); {f.source}"
            )
            regio.allocate(
                f.key, f.amount, on=PLAN_DATE, key=f"demo:allocate:{f.key}", who=published(source)
            )
        elif f.kind == "tranche_shift":
            giver, taker = f.key.split("->")
            regio.shift(
                giver, taker, f.amount, on=f.on, key=f"demo:shift:{f.key}", who=published(f.source)
            )
        elif f.kind == "reservation":
            reservation = Reservation(f.key, f.key.split("-")[0], f.name)
            regio.reserve(
                reservation, f.amount, on=f.on, key=f"demo:reserve:{f.key}", who=published(f.source)
            )
    t3_total = sum(
        (f.amount for f in figures if f.kind == "deal" and f.key.startswith("T3-")), Money.zero()
    )
    regio.allocate(
        "T3",
        t3_total,
        on=date(2020, 2, 14),
        key="demo:allocate:T3",
        who=Who(
            "demo-loader",
            "Tranchebudget 3 niet gepubliceerd: som van de geselecteerde deals",
            ILLUSTRATIVE,
        ),
    )


def _deal(figure: Figure) -> Deal:
    tranche = figure.key.split("-")[0]
    return Deal(
        code=figure.key,
        name=figure.name,
        tranche=tranche,
        rijksbijdrage=figure.amount,
        signed_on=figure.on,
        ends_on=date(figure.on.year + 6, 12, 31),
        programme_lines=("Economie", "Leefbaarheid", "Onderwijs"),
        reservation="T5-GRONINGEN" if "GRONINGEN" in figure.key and tranche == "T5" else None,
        pledges=_pledges(figure),
        cofinancing_exception="Caribisch Nederland: eilandelijke draagkracht (illustratief)"
        if figure.instrument == "BU"
        else None,
    )


def _pledges(figure: Figure) -> tuple[Pledge, ...]:
    """Illustrative pledges: most deals match the Rijksbijdrage 1:1 or more, a few fall short."""
    weight = Decimal("0.8") if sum(map(ord, figure.key)) % 4 == 0 else Decimal("1.1")
    if figure.key.split("-")[0] in (
        "T1",
        "T2",
        "T3",
    ):  # then only public money counted (``rules list``)
        return (
            Pledge(
                _partner_code(figure.key),
                PledgeKind.CASH,
                Money.of((figure.amount.amount * weight).quantize(Decimal("0.01"))),
            ),
        )
    cash = Money.of((figure.amount.amount * weight * Decimal("0.7")).quantize(Decimal("0.01")))
    in_kind = Money.of((figure.amount.amount * weight * Decimal("0.3")).quantize(Decimal("0.01")))
    return (
        Pledge(_partner_code(figure.key), PledgeKind.CASH, cash),
        Pledge(_in_kind_code(figure.key), PledgeKind.IN_KIND, in_kind),
    )


def _partner_code(key: str) -> str:
    return f"PARTNER-{key}"


def _in_kind_code(key: str) -> str:
    return f"INKIND-{key}"


def _kassier_code(key: str) -> str:
    return f"RK-{key}"


def _organisations(regio: RegioService, deal: Deal, figure: Figure) -> None:
    bes = figure.instrument == "BU"
    kassier_type = OrganisationType.OPENBAAR_LICHAAM_BES if bes else OrganisationType.GEMEENTE
    kassier_name = (
        f"Openbaar lichaam {deal.name}" if bes else f"Regiokassier {deal.name} (illustratief)"
    )
    regio.add_organisation(Organisation(_kassier_code(deal.code), kassier_name, kassier_type))
    regio.add_organisation(
        Organisation(
            _partner_code(deal.code),
            f"Regionale partners {deal.name} (illustratief)",
            OrganisationType.PUBLIEK,
        )
    )
    regio.add_organisation(
        Organisation(
            _in_kind_code(deal.code),
            f"Bedrijven en instellingen {deal.name} (illustratief)",
            OrganisationType.PRIVAAT,
        )
    )


def _beschikking(deal: Deal, instrument: str) -> Beschikking:
    decided = date(deal.signed_on.year, min(deal.signed_on.month + 2, 12), 1)
    bu = instrument == "BU"
    return Beschikking(
        nummer=f"RD-{deal.code}-1",
        deal=deal.code,
        instrument=Instrument.BU if bu else Instrument.SPUK,
        recipient=_kassier_code(deal.code),
        amount=convert(deal.rijksbijdrage, USD_PER_EUR, "USD") if bu else deal.rijksbijdrage,
        decided_on=decided,
        spending_starts_on=decided,
        spending_ends_on=date(2028, 12, 31),
        eur_commitment=deal.rijksbijdrage if bu else None,
        usd_per_eur=USD_PER_EUR if bu else None,
    )


def _share(amount: Money, percent: int) -> Money:
    return Money((amount.amount * percent / 100).quantize(Decimal("0.01")), amount.currency)


def _illustrate(regio: RegioService, deal: Deal, instrument: str) -> None:
    b = _beschikking(deal, instrument)
    regio.grant(b, key=f"demo:grant:{b.nummer}", who=ILLUSTRATIVE_WHO)
    regio.pay(
        b.nummer,
        _share(b.amount, 40),
        on=b.decided_on,
        key=f"demo:pay:{b.nummer}:1",
        who=ILLUSTRATIVE_WHO,
    )
    for year, percent in _spending_years(b):
        on = date(year, 6, 30)
        if year > b.decided_on.year:
            regio.pay(
                b.nummer,
                _share(b.amount, 20),
                on=date(year, 1, 15),
                key=f"demo:pay:{b.nummer}:{year}",
                who=ILLUSTRATIVE_WHO,
            )
        if year == STATEMENT_YEAR and b.instrument is not Instrument.DU:
            _upload_statement(regio, deal, b, year, percent)
            continue
        for source, partner, share in _sources(deal, percent):
            regio.record_spending(
                b.nummer,
                year,
                source,
                _share(b.amount, share),
                on=on,
                key=f"demo:spend:{b.nummer}:{year}:{source}",
                who=ILLUSTRATIVE_WHO,
                partner=partner,
                programme_line=deal.programme_lines[year % 3],
            )


#: The year whose spending the demo's regions hand in as a statement workbook (SPUK and BU),
#: so that every figure of that year leads down to statement lines.
STATEMENT_YEAR = 2025
SOURCE_WORDS = {
    FundingSource.RIJK: "Rijk",
    FundingSource.COFINANCIERING_PUBLIEK: "Cofinanciering publiek",
    FundingSource.IN_NATURA: "In natura",
}
REFERENCE_CODES = {
    FundingSource.RIJK: "RIJK",
    FundingSource.COFINANCIERING_PUBLIEK: "COFP",
    FundingSource.IN_NATURA: "NAT",
}


def _upload_statement(
    regio: RegioService, deal: Deal, b: Beschikking, year: int, percent: int
) -> None:
    """The same amounts as ``record_spending`` would book, as lines of an uploaded workbook."""
    from api.statements.service import import_statement
    from ledger.db.unit_of_work import UnitOfWork
    from ledger.regio.db.statements import statement_years

    with UnitOfWork(regio.engine) as uow:
        if year in statement_years(uow.connection).get(b.nummer, set()):
            return  # loaded before: a workbook made again differs in its timestamps, not its lines
    rows = []
    for source, partner, share in _sources(deal, percent):
        amount = _share(b.amount, share)
        first = _share(amount, 60)  # two lines per source: the figures must add up from lines
        for number, part in enumerate((first, amount - first), start=1):
            rows.append(
                [
                    b.nummer,
                    date(year, 3 * number, 15),
                    f"{SOURCE_WORDS[source]} deel {number}",
                    SOURCE_WORDS[source],
                    float(part.amount),
                    partner,
                    deal.programme_lines[number % len(deal.programme_lines)],
                    f"DEMO-{year}-{REFERENCE_CODES[source]}-{number}",
                ]
            )
    result = import_statement(
        regio.engine,
        b.nummer,
        year,
        _workbook(rows),
        filename=f"bestedingen-{b.nummer}-{year}.xlsx",
        uploader="demo-loader",
    )
    if not result.ok:
        raise RuntimeError(f"the demo statement of {b.nummer} was refused: {result.problems}")


def _workbook(rows: list[list[object]]) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    from api.statements.workbooks import HEADERS

    book = Workbook()
    sheet = book.active
    sheet.title = "Bestedingen"
    sheet.append(list(HEADERS))  # the columns of the region's own template
    for nummer, day, description, source, amount, partner, line, reference in rows:
        sheet.append(
            [nummer, day, description, source, amount, partner, line, None, reference, None]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _spending_years(b: Beschikking) -> Iterator[tuple[int, int]]:
    for year in range(b.decided_on.year + 1, 2026):
        yield year, 12 if year < 2025 else 18


def _sources(deal: Deal, percent: int) -> list[tuple[FundingSource, str | None, int]]:
    return [
        (FundingSource.RIJK, None, percent),
        (FundingSource.COFINANCIERING_PUBLIEK, _partner_code(deal.code), percent * 7 // 10),
        (FundingSource.IN_NATURA, _in_kind_code(deal.code), percent * 3 // 10),
    ]
