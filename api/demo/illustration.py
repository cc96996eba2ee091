"""The illustrative part of the demo, labelled as such on every booking: what no public source
gives per deal — the beschikkingen, payments, spending and co-financing, and the workbooks the
regions hand in. Each instrument as it works:

- DU (tranches 1-2): paid in yearly parts through the Gemeentefonds or Provinciefonds; no
  spending is accounted for. Rotterdam-Zuid's unpaid remainder is converted into a SPUK on the
  date of Kamerstuk 29 697 nr. 73 (9 December 2019), as published; the amounts are illustrative.
- DO (ESTEC, Caribisch Nederland): transferred to the other ministry's budget at once.
- SPUK and BU (tranches 3-6): an advance, yearly payments and yearly spending by source; for
  tranches 4 and 5 the regions hand in the 2025 spending as a statement workbook.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from api.demo.figures import ILLUSTRATIVE_WHO, Figure, Recipient, published
from api.demo.published import CONVERTED_UNDER, in_kind_code, partner_code
from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.model import Beschikking, Deal, FundingSource, Instrument, Who
from ledger.rounding import convert

USD_PER_EUR = Decimal("1.0850")  # illustratief
#: The published conversion of a DU into a SPUK: which deal, on which date, and its source.
CONVERSIONS = {
    "T1-ROTTERDAM-ZUID": (
        date(2019, 12, 9),
        "Kamerstuk 29 697 nr. 73 (9 december 2019): de resterende middelen van Rotterdam-Zuid "
        "worden als specifieke uitkering verstrekt, https://zoek.officielebekendmakingen.nl/kst-29697-73.html",
    )
}
#: The year whose spending the demo's regions hand in as a statement workbook (SPUK and BU of
#: tranches 4 and 5), so that every figure of that year leads down to statement lines.
STATEMENT_YEAR = 2025
STATEMENT_TRANCHES = ("T4", "T5")
LAST_YEAR = 2025  # the last year the demo reports spending for


def illustrate(regio: RegioService, deal: Deal, figure: Figure, recipient: Recipient) -> None:
    if figure.kind == "departmental_transfer":
        _transfer(regio, deal, recipient)
    elif figure.instrument == "DU":
        _du(regio, deal, recipient)
    else:
        b = _beschikking(deal, figure.instrument, recipient)
        _spuk(regio, deal, b, recipient, statements=True)


def _decided(signed: date) -> date:
    """The first day of the second month after the signing."""
    month = signed.month + 2
    return date(signed.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _beschikking(
    deal: Deal, instrument: str, recipient: Recipient, number: int = 1, **changes: object
) -> Beschikking:
    decided = _decided(deal.signed_on)
    bu = instrument == "BU"
    kind = {"BU": Instrument.BU, "DU": Instrument.DU, "DO": Instrument.DO}.get(
        instrument, Instrument.SPUK
    )
    values: dict[str, object] = {
        "nummer": f"RD-{deal.code}-{number}",
        "deal": deal.code,
        "instrument": kind,
        "recipient": recipient.organisation.code,
        "amount": convert(deal.rijksbijdrage, USD_PER_EUR, "USD") if bu else deal.rijksbijdrage,
        "decided_on": decided,
        "spending_starts_on": decided,
        "spending_ends_on": min(date(2028, 12, 31), deal.ends_on),
        "eur_commitment": deal.rijksbijdrage if bu else None,
        "usd_per_eur": USD_PER_EUR if bu else None,
    }
    return Beschikking(**(values | changes))  # type: ignore[arg-type]


def _who(recipient: Recipient) -> Who:
    """An illustrative grant that says why it goes to this recipient."""
    return Who(
        ILLUSTRATIVE_WHO.actor,
        f"Illustratieve beschikking; ontvanger: {recipient.basis}",
        ILLUSTRATIVE_WHO.source_document,
    )


def _transfer(regio: RegioService, deal: Deal, recipient: Recipient) -> None:
    """A departementale overboeking: the whole amount to the other ministry's budget at once;
    a second round is its own transfer."""
    b = _beschikking(
        deal, "DO", recipient, decided_on=deal.signed_on, spending_starts_on=deal.signed_on
    )
    regio.grant(b, key=f"demo:grant:{b.nummer}", who=_who(recipient))
    regio.pay(
        b.nummer, b.amount, on=b.decided_on, key=f"demo:pay:{b.nummer}:1", who=ILLUSTRATIVE_WHO
    )


def transfer_second_round(
    regio: RegioService, deal: Deal, amount: Money, on: date, recipient: Recipient
) -> None:
    b = _beschikking(
        deal, "DO", recipient, number=2, amount=amount, decided_on=on, spending_starts_on=on
    )
    regio.grant(b, key=f"demo:grant:{b.nummer}", who=_who(recipient))
    regio.pay(b.nummer, amount, on=on, key=f"demo:pay:{b.nummer}:1", who=ILLUSTRATIVE_WHO)


def _du(regio: RegioService, deal: Deal, recipient: Recipient) -> None:
    """Four yearly parts through the fund; a published conversion takes the unpaid rest."""
    b = _beschikking(deal, "DU", recipient)
    regio.grant(b, key=f"demo:grant:{b.nummer}", who=_who(recipient))
    conversion = CONVERSIONS.get(deal.code)
    paid = Money.zero()
    for part, on in enumerate(_du_dates(b.decided_on), start=1):
        if conversion is not None and on >= conversion[0]:
            _convert(regio, deal, b, b.amount - paid, recipient, *conversion)
            return
        regio.pay(
            b.nummer,
            _share(b.amount, 25),
            on=on,
            key=f"demo:pay:{b.nummer}:{part}",
            who=ILLUSTRATIVE_WHO,
        )
        paid += _share(b.amount, 25)


def _du_dates(decided: date) -> list[date]:
    return [decided] + [date(decided.year + n, 1, 15) for n in (1, 2, 3)]


def _convert(
    regio: RegioService,
    deal: Deal,
    du: Beschikking,
    remaining: Money,
    recipient: Recipient,
    on: date,
    source: str,
) -> None:
    """The DU's unpaid rest (``remaining``, what its parts left) becomes a linked SPUK."""
    spuk = _beschikking(
        deal,
        "SPUK",
        recipient,
        number=2,
        amount=remaining,
        decided_on=on,
        spending_starts_on=on,
        converted_from=du.nummer,
        regeling=CONVERTED_UNDER,
    )
    regio.convert_du_to_spuk(
        du.nummer,
        spuk,
        on=on,
        key=f"demo:convert:{du.nummer}",
        who=published(
            source, "Omzetting van de decentralisatie-uitkering in een specifieke uitkering"
        ),
    )
    _spuk(regio, deal, spuk, recipient, statements=False)


def _share(amount: Money, percent: int) -> Money:
    return Money((amount.amount * percent / 100).quantize(Decimal("0.01")), amount.currency)


def _spuk(
    regio: RegioService, deal: Deal, b: Beschikking, recipient: Recipient, statements: bool
) -> None:
    if b.converted_from is None:
        regio.grant(b, key=f"demo:grant:{b.nummer}", who=_who(recipient))
    regio.pay(
        b.nummer,
        _share(b.amount, 40),
        on=b.decided_on,
        key=f"demo:pay:{b.nummer}:1",
        who=ILLUSTRATIVE_WHO,
    )
    paid = 40
    for year, percent in _spending_years(b):
        if year > b.decided_on.year and paid < 100:  # then 20% a year until all is paid
            paid += 20
            regio.pay(
                b.nummer,
                _share(b.amount, 20),
                on=date(year, 1, 15),
                key=f"demo:pay:{b.nummer}:{year}",
                who=ILLUSTRATIVE_WHO,
            )
        if statements and year == STATEMENT_YEAR and deal.tranche in STATEMENT_TRANCHES:
            upload_statement(regio, deal, b, year, percent)
            continue
        for source, partner, share in sources(deal, percent):
            regio.record_spending(
                b.nummer,
                year,
                source,
                _share(b.amount, share),
                on=date(year, 6, 30),
                key=f"demo:spend:{b.nummer}:{year}:{source}",
                who=ILLUSTRATIVE_WHO,
                partner=partner,
                programme_line=deal.programme_lines[year % 3],
            )


def _spending_years(b: Beschikking) -> Iterator[tuple[int, int]]:
    last = min(LAST_YEAR, b.spending_ends_on.year)
    for year in range(b.decided_on.year + 1, last + 1):
        yield year, 12 if year < 2025 else 18


def sources(deal: Deal, percent: int) -> list[tuple[FundingSource, str | None, int]]:
    return [
        (FundingSource.RIJK, None, percent),
        (FundingSource.COFINANCIERING_PUBLIEK, partner_code(deal.code), percent * 7 // 10),
        (FundingSource.IN_NATURA, in_kind_code(deal.code), percent * 3 // 10),
    ]


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


def upload_statement(
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
    for source, partner, share in sources(deal, percent):
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
                    f"Project {deal.programme_lines[number % len(deal.programme_lines)]} {number}",
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
    if not result.is_booked:
        raise RuntimeError(f"the demo statement of {b.nummer} was refused: {result.problems}")


def _workbook(rows: list[list[object]]) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    from api.statements.workbooks import HEADERS

    book = Workbook()
    sheet = book.active
    sheet.title = "Bestedingen"
    sheet.append(list(HEADERS))  # the columns of the region's own template
    for nummer, day, description, source, amount, partner, line, project, reference in rows:
        sheet.append(
            [nummer, day, description, source, amount, partner, line, project, reference, None]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
