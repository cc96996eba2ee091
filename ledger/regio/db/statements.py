"""Booking a region's spending statement: its lines kept, its totals per funding source booked
as one entry, an earlier statement for the same beschikking and year reversed, all in one
transaction. An identical file (same SHA-256) is booked once: its entry key contains the hash."""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, and_, func, insert, select, text

from ledger.clock import today
from ledger.db.errors import translate_database_error
from ledger.db.journal import Clock, book_entries, serialise_writers, utc_now
from ledger.db.rows import load_entries
from ledger.db.service import open_accounts
from ledger.db.unit_of_work import UnitOfWork
from ledger.entries import JournalEntry, reverse_entry
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.regio import bookings, chart, rules
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.records import final_years
from ledger.regio.db.rows import BeschikkingState
from ledger.regio.db.tables import (
    amendment_table,
    beschikking_table,
    line_table,
    organisation_table,
    statement_line_table,
    statement_table,
)
from ledger.regio.model import FundingSource, OrganisationType, StatementStatus, Who
from ledger.said import said


class StatementLine(NamedTuple):
    """One line as the region wrote it. ``amount_cents`` is exact integer euro cents: a
    statement can have 100,000 lines, and only their totals become ``Money``. A named tuple:
    ``StatementLine._make`` builds the lines of a whole statement without a Python call each."""

    row: int
    spent_on: date
    description: str
    source: FundingSource
    amount_cents: int
    partner: str | None = None
    programme_line: str | None = None
    project: str | None = None
    reference: str | None = None
    explanation: str | None = None


@dataclass(frozen=True)
class StatementContextData:
    state: BeschikkingState
    programme_lines_display: tuple[str, ...]
    rijk_names: frozenset[str]
    final_years: frozenset[int]

    @property
    def programme_lines(self) -> frozenset[str]:
        return frozenset(line.lower() for line in self.programme_lines_display)


@dataclass(frozen=True)
class BookedStatement:
    statement_id: str  # its public id
    entry: int
    replaced_statement: str | None  # the public id of the statement it replaces
    reversal_entry: int | None
    line_count: int
    totals: dict[str, Money]
    reused: bool  # the identical file was booked before; nothing new was booked


def statement_totals(
    lines: Sequence[StatementLine], currency: str = "EUR"
) -> dict[FundingSource, Money]:
    """Per source, in the beschikking's currency (a BU for Caribisch Nederland is in USD)."""
    cents: dict[FundingSource, int] = defaultdict(int)
    for line in lines:
        cents[line.source] += line.amount_cents
    return {source: Money.from_minor_units(total, currency) for source, total in cents.items()}


#: ``replaces`` for a caller that replaces whatever statement is booked (no confirmation asked).
ANY_STATEMENT = "*"


class StatementStore:
    def __init__(self, engine: Engine, clock: Clock = utc_now):
        self.engine = engine
        self.clock = clock

    def context(self, nummer: str) -> StatementContextData:
        with UnitOfWork(self.engine) as uow:
            connection = uow.connection
            state = regio_rows.beschikking_state(connection, nummer)
            lines = tuple(
                connection.execute(
                    select(line_table.c.code).where(line_table.c.deal == state.beschikking.deal)
                ).scalars()
            )
            rijk = connection.execute(
                select(organisation_table.c.code, organisation_table.c.name).where(
                    organisation_table.c.type == OrganisationType.RIJK.value
                )
            )
            return StatementContextData(
                state,
                lines,
                frozenset(n.lower() for row in rijk for n in row),
                final_years(connection, nummer),
            )

    def booked_with(self, nummer: str, year: int, sha256: str) -> BookedStatement | None:
        with UnitOfWork(self.engine) as uow:
            current = _current_statement(uow.connection, nummer, year)
            if current is None:
                return None
            row = uow.connection.execute(
                select(statement_table).where(statement_table.c.id == current.id)
            ).first()
            return _booked(uow.connection, row, reused=True) if row.sha256 == sha256 else None

    def record_refused(
        self,
        nummer: str,
        year: int,
        sha256: str,
        content: bytes,
        filename: str,
        uploader: str,
        problems: list[dict[str, Any]],
        line_count: int,
    ) -> str:
        """Keep a refused upload and its problems (for the region's error workbook and the audit
        trail); returns its public id."""
        with UnitOfWork(self.engine, write=True) as uow:
            _, public_id = self._insert_statement(
                uow.connection,
                nummer,
                year,
                sha256,
                content,
                filename,
                uploader,
                StatementStatus.REFUSED,
                line_count,
                problems=json.dumps(problems, ensure_ascii=False),
            )
            uow.commit()
        return public_id

    def book(
        self,
        nummer: str,
        year: int,
        sha256: str,
        content: bytes,
        filename: str,
        uploader: str,
        lines: Sequence[StatementLine],
        connection: Connection | None = None,
        replaces: str | None = ANY_STATEMENT,
    ) -> BookedStatement:
        """Book a checked statement in its own transaction, or in the caller's ``connection``.
        ``replaces``: the statement the user confirmed this one replaces (its public id, or None
        for none), checked against the booked one inside the booking's transaction; by default
        (the command line, the API) any booked statement is replaced."""
        if connection is not None:
            return self._book_in(
                connection, nummer, year, sha256, content, filename, uploader, lines, replaces
            )
        with UnitOfWork(self.engine, write=True) as uow:
            booked = self._book_in(
                uow.connection, nummer, year, sha256, content, filename, uploader, lines, replaces
            )
            uow.commit()
        return booked

    def _book_in(
        self,
        connection: Connection,
        nummer: str,
        year: int,
        sha256: str,
        content: bytes,
        filename: str,
        uploader: str,
        lines: Sequence[StatementLine],
        replaces: str | None = ANY_STATEMENT,
    ) -> BookedStatement:
        who = Who(uploader, f"Bestedingsopgave {year}", f"{filename} (sha256 {sha256})")
        serialise_writers(connection)
        current = _current_statement(connection, nummer, year)
        if current is not None:
            row = connection.execute(
                select(statement_table).where(statement_table.c.id == current.id)
            ).first()
            if row.sha256 == sha256:  # the same file, uploaded twice at once: booked by the other
                return _booked(connection, row, reused=True)
            if replaces != ANY_STATEMENT and replaces != current.public_id:
                raise LedgerError.single(
                    "replacement_not_confirmed",
                    said(
                        "Statement {current} is booked for {year} of {nummer}; confirm that this file replaces it, and send it again.",
                        current=current.public_id,
                        year=year,
                        nummer=nummer,
                    ),
                    booked=current.public_id,
                )
        state = regio_rows.beschikking_state(connection, nummer)
        problems = rules.check_open(nummer, state.settled, state.converted_to is not None)
        problems += rules.check_year_ended(said("A spending statement"), year, today())
        problems += rules.check_not_submitted(nummer, year, submitted_through(connection, nummer))
        problems += rules.check_not_final(nummer, final_years(connection, nummer), "statement")
        if problems:
            raise LedgerError(problems)
        return self._book(connection, state, year, sha256, content, filename, who, lines)

    def _book(
        self,
        connection: Connection,
        state: BeschikkingState,
        year: int,
        sha256: str,
        content: bytes,
        filename: str,
        who: Who,
        lines: Sequence[StatementLine],
    ) -> BookedStatement:
        nummer = state.nummer
        previous = _current_statement(connection, nummer, year)
        public_id = new_public_id()  # also the key of its bookings: each booking its own
        key = f"statement:{nummer}:{year}:{public_id}"
        entries = _reversals_of(connection, previous, who, filename) if previous else []
        totals = statement_totals(lines, state.beschikking.amount.currency)
        on = max(line.spent_on for line in lines)
        new_entries = bookings.book_statement(key, who, on, state.beschikking, year, totals)
        accounts = _accounts_for(state, year, totals)
        open_accounts(connection, accounts, actor=who.actor, opened_at=self.clock())
        try:
            posted = {
                p.key: p.sequence
                for p in book_entries(connection, [*entries, *new_entries], self.clock)
            }
        except LedgerError as error:
            raise LedgerError([rules.explain_limit(p) for p in error.problems]) from error
        cash, in_kind = posted.get(f"{key}:cash"), posted.get(f"{key}:in-kind")
        reversal = posted.get(f"statement-reversal:{previous.id}:0") if previous else None
        statement_id, public_id = self._insert_statement(
            connection,
            nummer,
            year,
            sha256,
            content,
            filename,
            who.actor,
            StatementStatus.BOOKED,
            len(lines),
            entry_id=cash,
            in_kind_entry_id=in_kind,
            replaces_id=previous.id if previous else None,
            reversal_entry_id=reversal,
            public_id=public_id,
        )
        _insert_lines(connection, statement_id, lines)
        return BookedStatement(
            public_id,
            cash or in_kind or 0,
            previous.public_id if previous else None,
            reversal,
            len(lines),
            {s.value: m for s, m in totals.items()},
            reused=False,
        )

    def _insert_statement(
        self,
        connection: Connection,
        nummer: str,
        year: int,
        sha256: str,
        content: bytes,
        filename: str,
        uploader: str,
        outcome: str,
        line_count: int,
        public_id: str | None = None,
        **values: Any,
    ) -> tuple[int, str]:
        """Insert a statement row; its id stays inside, its public id (random, so it does not
        tell how many uploads others made) goes into URLs."""
        public_id = public_id or new_public_id()
        with translate_database_error():
            statement_id = connection.execute(
                insert(statement_table)
                .values(
                    public_id=public_id,
                    beschikking=nummer,
                    year=year,
                    sha256=sha256,
                    filename=filename,
                    uploaded_by=uploader,
                    uploaded_at=self.clock(),
                    outcome=outcome,
                    content=content,
                    line_count=line_count,
                    **values,
                )
                .returning(statement_table.c.id)
            ).scalar_one()
        return statement_id, public_id


def new_public_id() -> str:
    """``st-`` and 20 random hex digits: unguessable, and within the identifier grammar."""
    return f"st-{secrets.token_hex(10)}"


def submitted_through(connection: Connection, nummer: str) -> int | None:
    """The last SiSa year a submission holds the beschikking's row for: what that submission
    said (the year's spending and the cumulative figure of every year before it) stands, so
    nothing dated in that year or earlier may change it but a correction. Written with each
    submission by SiSa (``sisa.db``, migration 0018) and read here by name, without importing
    the layer above; the database's trigger reads the same table."""
    return connection.execute(
        text("SELECT max(year) FROM sisa_submitted_year WHERE nummer = :nummer"),
        {"nummer": nummer},
    ).scalar()


def _current_statement(connection: Connection, nummer: str, year: int) -> Any:
    """The booked statement for this beschikking and year that no later statement replaced."""
    return connection.execute(
        select(
            statement_table.c.id,
            statement_table.c.public_id,
            statement_table.c.entry_id,
            statement_table.c.in_kind_entry_id,
        )
        .where(_current(nummer), statement_table.c.year == year)
        .order_by(statement_table.c.id.desc())
    ).first()


def _insert_lines(
    connection: Connection, statement_id: int, lines: Sequence[StatementLine]
) -> None:
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    columns = (
        "statement_id",
        "row_number",
        "spent_on",
        "description",
        "source",
        "amount",
        "partner",
        "programme_line",
        "project",
        "reference",
        "explanation",
    )
    sql = f"INSERT INTO statement_line ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    if not lines:
        return
    # Column by column, in C loops (a statement has up to 100,000 lines); the funding source
    # is a str enum and is stored as its value, SQLite keeps dates as ISO text.
    numbers, spent_on, *rest = zip(*lines, strict=True)
    if connection.dialect.name == "sqlite":
        spent_on = tuple(map(date.isoformat, spent_on))
    rows = list(zip(repeat(statement_id), numbers, spent_on, *rest))
    with translate_database_error():
        connection.exec_driver_sql(sql, rows)  # the lines are checked already; see make bench


def _booked(connection: Connection, row: Any, reused: bool) -> BookedStatement:
    currency = connection.execute(
        select(beschikking_table.c.currency).where(beschikking_table.c.nummer == row.beschikking)
    ).scalar_one()
    totals: dict[str, Money] = {}
    query = (
        select(statement_line_table.c.source, func.sum(statement_line_table.c.amount))
        .where(statement_line_table.c.statement_id == row.id)
        .group_by(statement_line_table.c.source)
    )
    for source, cents in connection.execute(query):
        totals[source] = Money.from_minor_units(int(cents), currency)
    replaced = None
    if row.replaces_id is not None:
        replaced = connection.execute(
            select(statement_table.c.public_id).where(statement_table.c.id == row.replaces_id)
        ).scalar_one()
    return BookedStatement(
        row.public_id,
        row.entry_id or row.in_kind_entry_id,
        replaced,
        row.reversal_entry_id,
        row.line_count,
        dict(totals),
        reused,
    )


def _current(nummer: str | None = None) -> Any:
    """The condition for booked statements that still count: no later statement replaced them
    and they were not withdrawn (of one beschikking, or of all)."""
    replaced = select(statement_table.c.replaces_id).where(
        statement_table.c.replaces_id.is_not(None)
    )
    withdrawn = select(amendment_table.c.statement_id).where(
        amendment_table.c.statement_id.is_not(None)
    )
    condition = and_(
        statement_table.c.outcome == StatementStatus.BOOKED,
        statement_table.c.id.not_in(replaced),
        statement_table.c.id.not_in(withdrawn),
    )
    return condition if nummer is None else and_(statement_table.c.beschikking == nummer, condition)


def current_statement_row(connection: Connection, nummer: str, public_id: str) -> Any:
    """A booked statement of a beschikking that still counts, by its public id, or None."""
    return connection.execute(
        select(statement_table).where(_current(nummer), statement_table.c.public_id == public_id)
    ).first()


def current_lines(connection: Connection, nummer: str) -> list[Any]:
    """The lines of a beschikking's booked statements that no later statement replaced, by
    year and row: what its spending figures are made of."""
    current = select(statement_table.c.id).where(_current(nummer))
    return connection.execute(
        select(statement_table.c.year, statement_table.c.filename, statement_line_table)
        .join(statement_table, statement_table.c.id == statement_line_table.c.statement_id)
        .where(statement_line_table.c.statement_id.in_(current))
        .order_by(
            statement_table.c.year,
            statement_line_table.c.statement_id,
            statement_line_table.c.row_number,
        )
    ).all()


def statement_years(connection: Connection) -> dict[str, set[int]]:
    """Per beschikking, the years for which a statement is booked and still counts."""
    years: dict[str, set[int]] = {}
    query = select(statement_table.c.beschikking, statement_table.c.year).where(_current())
    for nummer, year in connection.execute(query.distinct()):
        years.setdefault(nummer, set()).add(year)
    return years


def _reversals_of(
    connection: Connection, previous: Any, who: Who, filename: str
) -> list[JournalEntry]:
    """The reversals of the bookings of the statement a new one replaces."""
    earlier = [i for i in (previous.entry_id, previous.in_kind_entry_id) if i is not None]
    return [
        reverse_entry(
            original.to_entry(),
            key=f"statement-reversal:{previous.id}:{number}",
            actor=who.actor,
            reason=f"Replaced by a new statement ({filename})",
        )
        for number, original in enumerate(load_entries(connection, ids=earlier))
    ]


def _accounts_for(state: BeschikkingState, year: int, totals: dict) -> list:
    """The spending accounts a statement's totals book on (opened if new)."""
    b = state.beschikking
    return [
        a
        for source in totals
        for a in chart.spending_accounts(b, state.envelope, state.tranche, year, source)
    ]
