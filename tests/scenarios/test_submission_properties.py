"""Every SiSa submission stays reproducible, whatever happens after it: random interleavings of
statements, withdrawals, officer spending, corrections through the SiSa procedure, payments and
submissions (each recorded a second after the one before), on both databases; afterwards each
submission's figures are exactly what the books say as recorded at its moment, and ``verify``
holds. Refusals (the freeze of a submitted year among them) change nothing and are expected."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime, timedelta
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.statements.service import import_statement
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.regio.db.history import statements
from ledger.regio.db.service import RegioService
from ledger.regio.model import FundingSource, Who
from sisa.db import submission_table
from sisa.service import export_sisa, submit_sisa
from tests.scenarios.flow import eur, zwolle_world
from tests.statements.builders import openpyxl_workbook

NUMMER = "RD-2024-001"
YEARS = (2024, 2025)
KINDS = ("statement", "withdraw", "spend", "correct", "pay", "submit")

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.sampled_from(YEARS),
        st.integers(min_value=1, max_value=50).map(lambda n: n * 10_000),
    ),
    min_size=1,
    max_size=12,
)


class Clock:
    """Recorded times a second apart, after every real one the statements' store gives."""

    def __init__(self) -> None:
        self.ticks = count(1)
        self.start = datetime.now(UTC) + timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=next(self.ticks))


def apply(regio: RegioService, ledger: LedgerService, clock: Clock, step: int, op) -> None:  # noqa: ANN001
    kind, year, euros = op
    who = Who("fo", f"stap {step}")
    if kind == "statement":
        line = [NUMMER, f"01-10-{year}", "Factuur", "Rijk", f"{euros},00", None, None, f"F{step}"]
        import_statement(
            ledger.engine, NUMMER, year, openpyxl_workbook([line]), filename="o.xlsx", uploader="x"
        )
    elif kind == "withdraw":
        with UnitOfWork(ledger.engine) as uow:
            booked = [
                s.id
                for s in statements(uow.connection, NUMMER)
                if s.year == year and s.status == "booked"
            ]
        if booked:
            regio.withdraw_statement(NUMMER, booked[0], key=f"w{step}", who=who)
    elif kind == "spend":
        regio.record_spending(
            NUMMER,
            year,
            FundingSource.RIJK,
            eur(f"{euros}.00"),
            on=date(year, 11, 1),
            key=f"s{step}",
            who=who,
        )
    elif kind == "correct":
        regio.correct_final_year(
            NUMMER,
            year,
            FundingSource.RIJK,
            eur(f"-{euros // 10}.00"),
            on=date(2026, 12, 1),
            key=f"c{step}",
            who=who,
        )
    elif kind == "pay":
        regio.pay(NUMMER, eur(f"{euros}.00"), on=date(2026, 11, 2), key=f"p{step}", who=who)
    else:
        submit_sisa(ledger.engine, year, "json", actor="GM-ZWOLLE", clock=clock)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_every_submission_is_reproduced_from_the_books_as_of_its_moment(
    database_factory, operations
):
    ledger = LedgerService.from_url(database_factory())
    try:
        zwolle_world(RegioService(ledger.engine), paid="6000000.00")
        clock = Clock()
        regio = RegioService(ledger.engine, clock=clock)
        for step, op in enumerate(operations):
            with contextlib.suppress(LedgerError):  # a refusal changes nothing
                apply(regio, ledger, clock, step, op)
        with UnitOfWork(ledger.engine) as uow:
            made = uow.connection.execute(submission_table.select()).all()
        for submission in made:
            moment = submission.submitted_at
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            _, then = export_sisa(ledger.engine, submission.year, "json", recorded_as_of=moment)
            assert then.figures() == json.loads(submission.figures), submission.year
        assert ledger.verify().ok
    finally:
        ledger.engine.dispose()
