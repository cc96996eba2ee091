"""SiSa export of one year for 10,000 beschikkingen with 5 years of bookings (SQLite), beside
the bare aggregate query it rests on. The ledger is built through the batch booking path."""

from __future__ import annotations

import io
import statistics
import time
from datetime import date
from typing import Any

import xlsxwriter
from sqlalchemy import insert, text

from ledger.db.engine import make_engine
from ledger.db.journal import book_entries
from ledger.db.service import open_accounts
from ledger.db.unit_of_work import UnitOfWork
from ledger.money import Money
from ledger.regio import bookings, chart
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
from sisa.export import check_written, write_xlsx
from sisa.service import build_sisa_export, export_sisa
from tests.benchmarks.harness import Report, Result, fresh_database, latency_ms, scaled

WHO = Who("bench", "benchmark")
YEARS = (2021, 2022, 2023, 2024, 2025)


def build(url: str, count: int) -> None:
    engine = make_engine(url)
    regio = RegioService(engine)
    total = Money.of(str(count * 1_000_000))
    regio.add_organisation(Organisation("GM-BENCH", "Gemeente Bench", OrganisationType.GEMEENTE))
    regio.add_organisation(Organisation("PARTNER", "Partner", OrganisationType.PUBLIEK))
    regio.open_envelope(
        Envelope("E", "Envelope", total, date(2020, 1, 1), date(2030, 12, 31)), key="e", who=WHO
    )
    regio.open_tranche(Tranche("T", "E", "Tranche"))
    regio.allocate("T", total, on=date(2020, 1, 1), key="a", who=WHO)
    regio.sign_deal(
        Deal("D", "Deal", "T", total, date(2020, 1, 1), date(2030, 12, 31)), key="d", who=WHO
    )
    for start in range(0, count, 500):
        with UnitOfWork(engine, write=True) as uow:
            _book_part(uow.connection, range(start, min(start + 500, count)))
            uow.commit()
    engine.dispose()


def _book_part(connection, numbers) -> None:  # noqa: ANN001
    grant = Money.of("1000000.00")
    beschikkingen = [
        Beschikking(
            f"B-{n:05d}",
            "D",
            Instrument.SPUK,
            "GM-BENCH",
            grant,
            date(2020, 6, 1),
            date(2020, 6, 1),
            date(2026, 12, 31),
        )
        for n in numbers
    ]
    accounts = [a for b in beschikkingen for a in chart.beschikking_accounts(b, "E", "T")]
    accounts += [
        a
        for b in beschikkingen
        for y in YEARS
        for s in FundingSource
        for a in chart.spending_accounts(b, "E", "T", y, s)
    ]
    open_accounts(connection, accounts, actor="bench", opened_at=_now())
    entries = [bookings.grant(f"grant-{b.nummer}", WHO, b) for b in beschikkingen]
    for b in beschikkingen:
        for y in YEARS:
            cash = {
                FundingSource.RIJK: Money.of("100000.49"),
                FundingSource.COFINANCIERING_PUBLIEK: Money.of("60000.50"),
            }
            entries += bookings.book_statement(
                f"s-{b.nummer}-{y}",
                WHO,
                date(y, 6, 1),
                b,
                y,
                {**cash, FundingSource.IN_NATURA: Money.of("1000.00")},
            )
    posted = {p.key: p.sequence for p in book_entries(connection, entries)}
    connection.execute(
        insert(beschikking_table),
        [
            {
                "nummer": b.nummer,
                "deal": "D",
                "instrument": "SPUK",
                "recipient": "GM-BENCH",
                "currency": "EUR",
                "amount": b.amount.minor_units,
                "eur_commitment": b.amount.minor_units,
                "decided_on": b.decided_on,
                "spending_starts_on": b.spending_starts_on,
                "spending_ends_on": b.spending_ends_on,
                "entry_id": posted[f"grant-{b.nummer}"],
            }
            for b in beschikkingen
        ],
    )


def _now():  # noqa: ANN202
    from ledger.db.journal import utc_now

    return utc_now()


def run(report: Report, backend: str = "sqlite") -> None:
    count = scaled(10_000)
    with fresh_database(backend) as url:
        build(url, count)
        engine = make_engine(url)
        export_sisa(engine, 2025, "xlsx")  # warm-up: freezes the annex for the year
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            content, export = export_sisa(engine, 2025, "xlsx")
            runs.append(time.perf_counter() - start)
            assert content is not None and len(export.rows) == count, export.problems
        seconds = statistics.median(runs)
        parts = _parts(engine)

        def bare() -> object:
            with engine.connect() as connection:
                return connection.execute(
                    text(
                        "SELECT beschikking, year, code, credit_total - debit_total FROM account WHERE code LIKE '%:spent:%'"
                    )
                ).all()

        bare_s = latency_ms(bare, repeat=5)[0] / 1000
        cells_s = _plain_cells(build_sisa_export(engine, 2025))
        engine.dispose()
    floor = bare_s + cells_s
    report.add(
        Result(
            f"SiSa workbook for one year, {count:,} beschikkingen x 5 years",
            backend,
            seconds,
            "s",
            floor,
            f"bare aggregate query {bare_s:.2f} s + XlsxWriter writing the same cells {cells_s:.2f} s",
            "<= 1.5 x",
            seconds <= 1.5 * floor,
            note=f"median of 3; build, validate, write, read back, validate again; runs {', '.join(f'{r:.2f}' for r in runs)} s",
        )
    )
    for name, part_seconds in parts.items():
        report.add(
            Result(
                f"SiSa workbook, {count:,} beschikkingen: {name}",
                backend,
                part_seconds,
                "s",
                bare_s,
                "bare aggregate query",
                "- (where the time goes)",
                None,
                note="median of 3",
            )
        )


def _plain_cells(export: Any) -> float:
    """The honest floor's second half: XlsxWriter writing the same cells, plainly (no formats,
    no other sheets), the median of three."""
    fields = [i.field for i in export.annex.indicators]
    rows = [[row.recipient, *[row.values[f] for f in fields]] for row in export.rows]
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet("SiSa")
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)
        workbook.close()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _parts(engine: Any) -> dict[str, float]:
    """The export's parts timed alone (medians of three): what no writer can make quicker (the
    rows built from both paths through the books and validated, the file read back and
    validated again), and XlsxWriter writing the workbook."""
    checks, writes = [], []
    for _ in range(3):
        start = time.perf_counter()
        export = build_sisa_export(engine, 2025)
        built = time.perf_counter()
        content = write_xlsx(export)
        written = time.perf_counter()
        problems = check_written(export, content, "xlsx")
        checks.append(built - start + time.perf_counter() - written)
        writes.append(written - built)
        assert not problems and not export.problems, problems or export.problems
    return {
        "everything but the writer (build, validate, read back, validate again)": statistics.median(
            checks
        ),
        "the writer alone (XlsxWriter)": statistics.median(writes),
    }
