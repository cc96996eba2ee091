"""Load a ``Snapshot`` of the Regio Deals as of a date: objects that existed then, and the
balances of their accounts then; and, with ``recorded_as_of``, as the books stood at that moment
(what was recorded later is left out: entries after the last one recorded by then, and records
of later changes). Envelopes, tranches, reservations and organisations carry no money of their
own (their money is in their dated, recorded budget changes) and are always shown."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import Connection, func, select

from ledger.db import queries
from ledger.db.rows import entry_table
from ledger.money import Money
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.history import statements
from ledger.regio.db.known import EVERYTHING, Known
from ledger.regio.db.tables import (
    amendment_table,
    beschikking_table,
    budget_change_table,
    budget_event_table,
    deal_table,
    envelope_table,
    event_table,
    figure_table,
    organisation_table,
    reservation_table,
    statement_line_table,
    statement_table,
    tranche_table,
)
from ledger.regio.model import (
    AmendmentKind,
    Envelope,
    EventKind,
    FundingSource,
    OrganisationType,
    Reservation,
    StatementStatus,
    Tranche,
)
from ledger.regio.snapshot import (
    BudgetChange,
    BudgetEvent,
    Commitment,
    GrantChange,
    PublishedFigure,
    Snapshot,
    SpendingLine,
)


def load_snapshot(
    connection: Connection, as_of: date, recorded_as_of: datetime | None = None
) -> Snapshot:
    known = Known.at_moment(connection, recorded_as_of)
    envelopes, tranches, reservations = _budget_objects(connection)
    deals = regio_rows.deals_from_rows(
        connection,
        connection.execute(
            select(deal_table)
            .where(deal_table.c.signed_on <= as_of, known.entries(deal_table.c.entry_id))
            .order_by(deal_table.c.code)
        ).all(),
        as_of,
        known,
    )
    beschikkingen = [
        regio_rows.beschikking_from_row(r)
        for r in connection.execute(
            select(beschikking_table)
            .where(
                beschikking_table.c.decided_on <= as_of,
                known.entries(beschikking_table.c.entry_id),
            )
            .order_by(beschikking_table.c.nummer)
        )
    ]
    balances = {
        b.account: b
        for b in queries.balances(connection, as_of=as_of, recorded_as_of=recorded_as_of)
    }
    return Snapshot(
        as_of=as_of,
        envelopes=envelopes,
        tranches=tranches,
        reservations=reservations,
        deals=deals,
        beschikkingen=beschikkingen,
        budget_changes=_budget_changes(connection, as_of, known),
        budget_events=_budget_events(connection, as_of, known),
        commitments=commitments(connection, deals, as_of, known),
        organisations={
            code: name
            for code, name in connection.execute(
                select(organisation_table.c.code, organisation_table.c.name)
            )
        },
        grant_changes=grant_changes(connection, as_of, known),
        deal_returns=deal_returns(connection, as_of, known),
        balances=balances,
        spending=recorded_spending(connection, as_of, known),
        published=_published(connection),
        illustrative=illustrative(connection, known),
    )


def illustrative(connection: Connection, known: Known) -> bool:
    """Whether some figures come from illustrative (demo) bookings."""
    return (
        connection.execute(
            select(entry_table.c.id)
            .where(
                entry_table.c.source_document.like("illustratief%"), known.entries(entry_table.c.id)
            )
            .limit(1)
        ).first()
        is not None
    )


def _budget_objects(
    connection: Connection,
) -> tuple[list[Envelope], list[Tranche], list[Reservation]]:
    envelopes = [
        Envelope(r.code, r.name, Money.from_minor_units(r.amount), r.starts_on, r.ends_on)
        for r in connection.execute(select(envelope_table).order_by(envelope_table.c.code))
    ]
    tranches = [
        Tranche(r.code, r.envelope, r.name)
        for r in connection.execute(select(tranche_table).order_by(tranche_table.c.code))
    ]
    reservations = [
        Reservation(r.code, r.tranche, r.name)
        for r in connection.execute(select(reservation_table).order_by(reservation_table.c.code))
    ]
    return envelopes, tranches, reservations


def deal_returns(
    connection: Connection, as_of: date, known: Known = EVERYTHING
) -> dict[str, Money]:
    """Per tranche, what its own deals (not a reservation's) gave back to it by amendment or
    withdrawal up to ``as_of``: credits on the tranche that are no budget."""
    a = amendment_table.c
    query = (
        select(deal_table.c.tranche, func.sum(a.amount))
        .join(deal_table, deal_table.c.code == a.deal)
        .where(
            a.kind.in_((AmendmentKind.DEAL_AMENDMENT, AmendmentKind.DEAL_WITHDRAWAL)),
            a.amount < 0,
            a.effective_on <= as_of,
            known.records(a.recorded_at),
            deal_table.c.reservation.is_(None),
        )
        .group_by(deal_table.c.tranche)
    )
    return {
        tranche: Money.from_minor_units(-int(cents)) for tranche, cents in connection.execute(query)
    }


def commitments(connection: Connection, deals: list, as_of: date, known: Known) -> list[Commitment]:
    """Each deal's signing at its first Rijksbijdrage, then each amendment and withdrawal, with
    the entry that booked it and that entry's source."""
    tranche_of = {d.code: d.tranche for d in deals}
    d, a, e = deal_table.c, amendment_table.c, entry_table.c
    signed = connection.execute(
        select(d.code, d.signed_on, d.rijksbijdrage, d.entry_id, e.source_document)
        .join(entry_table, e.id == d.entry_id)
        .where(d.signed_on <= as_of, known.entries(d.entry_id))
    )
    found = [
        Commitment(
            r.code,
            tranche_of[r.code],
            r.signed_on,
            Money.from_minor_units(r.rijksbijdrage),
            r.entry_id,
            r.source_document,
        )
        for r in signed
        if r.code in tranche_of
    ]
    changed = connection.execute(
        select(a.deal, a.effective_on, a.amount, a.entry_id, e.source_document)
        .join(entry_table, e.id == a.entry_id)
        .where(
            a.kind.in_((AmendmentKind.DEAL_AMENDMENT, AmendmentKind.DEAL_WITHDRAWAL)),
            a.effective_on <= as_of,
            known.records(a.recorded_at),
        )
        .order_by(a.id)
    )
    for r in changed:
        if r.deal in tranche_of and r.amount:
            found.append(
                Commitment(
                    r.deal,
                    tranche_of[r.deal],
                    r.effective_on,
                    Money.from_minor_units(r.amount),
                    r.entry_id,
                    r.source_document,
                )
            )
    return sorted(found, key=lambda c: (c.effective_on, c.entry))


def _budget_events(connection: Connection, as_of: date, known: Known) -> list[BudgetEvent]:
    c = budget_event_table.c
    query = (
        select(budget_event_table, entry_table.c.reason, entry_table.c.source_document)
        .join(entry_table, entry_table.c.id == c.entry_id)
        .where(c.effective_on <= as_of, known.entries(c.entry_id))
        .order_by(c.effective_on, c.entry_id)
    )
    return [
        BudgetEvent(
            r.kind,
            r.envelope,
            r.tranche,
            r.purpose,
            r.name,
            Money.from_minor_units(r.amount),
            r.effective_on,
            r.entry_id,
            r.reason,
            r.source_document,
        )
        for r in connection.execute(query)
    ]


def _budget_changes(connection: Connection, as_of: date, known: Known) -> list[BudgetChange]:
    c = budget_change_table.c
    query = (
        select(
            budget_change_table,
            entry_table.c.memo,
            entry_table.c.reason,
            entry_table.c.source_document,
        )
        .join(entry_table, entry_table.c.id == c.entry_id)
        .where(c.effective_on <= as_of, known.entries(c.entry_id))
        .order_by(c.effective_on, c.entry_id)
    )
    return [
        BudgetChange(
            r.kind,
            r.envelope,
            r.from_tranche,
            r.to_tranche,
            r.reservation,
            Money.from_minor_units(r.amount),
            r.effective_on,
            r.entry_id,
            r.memo,
            r.reason,
            r.source_document,
        )
        for r in connection.execute(query)
    ]


def grant_changes(
    connection: Connection,
    as_of: date = date.max,
    known: Known = EVERYTHING,
    nummers: list[str] | None = None,
) -> dict[str, GrantChange]:
    """Per beschikking (or per one of ``nummers``), releases back to its deal (less granted)
    and wijzigingsbeschikkingen, up to ``as_of``."""
    e, a, b = event_table.c, amendment_table.c, beschikking_table.c
    releases = (
        select(e.beschikking, (-e.amount).label("native"), (-e.amount).label("eur"), b.currency)
        .join(beschikking_table, b.nummer == e.beschikking)
        .where(e.kind == EventKind.RELEASE, e.effective_on <= as_of, known.records(e.recorded_at))
    )
    amendments = (
        select(
            a.beschikking,
            a.amount.label("native"),
            func.coalesce(a.eur_amount, a.amount).label("eur"),
            b.currency,
        )
        .join(beschikking_table, b.nummer == a.beschikking)
        .where(
            a.kind == AmendmentKind.BESCHIKKING_AMENDMENT,
            a.effective_on <= as_of,
            known.records(a.recorded_at),
        )
    )
    if nummers is not None:
        releases = releases.where(e.beschikking.in_(nummers))
        amendments = amendments.where(a.beschikking.in_(nummers))
    changes: dict[str, tuple[int, int, str]] = {}
    for nummer, native, eur, currency in connection.execute(releases.union_all(amendments)):
        before = changes.get(nummer, (0, 0, currency))
        changes[nummer] = (before[0] + native, before[1] + eur, currency)
    return {
        nummer: GrantChange(Money.from_minor_units(native, currency), Money.from_minor_units(eur))
        for nummer, (native, eur, currency) in changes.items()
    }


def recorded_spending(
    connection: Connection, as_of: date, known: Known, nummers: list[str] | None = None
) -> list[SpendingLine]:
    """Recorded spending events (an officer's or the demo's; statements' lines are read per
    deal by ``statement_spending``, never for every snapshot), of every beschikking or of
    ``nummers``."""
    c, o = event_table.c, organisation_table.c
    query = (
        select(
            c.beschikking,
            c.year,
            c.source,
            c.amount,
            c.programme_line,
            o.name.label("partner_name"),
            o.type.label("partner_type"),
            beschikking_table.c.currency,
        )
        .join(beschikking_table, beschikking_table.c.nummer == c.beschikking)
        .outerjoin(organisation_table, o.code == c.partner)
        .where(c.kind == EventKind.SPENDING, c.effective_on <= as_of, known.records(c.recorded_at))
        .order_by(c.id)
    )
    if nummers is not None:
        query = query.where(c.beschikking.in_(nummers))
    found = [
        SpendingLine(
            r.beschikking,
            r.year,
            r.source,
            Money.from_minor_units(r.amount, r.currency),
            r.partner_name,
            r.programme_line,
            None,
            r.partner_type == OrganisationType.PRIVAAT
            or r.source == FundingSource.COFINANCIERING_PRIVAAT,
        )
        for r in connection.execute(query)
    ]
    return found


def deal_statement_spending(
    connection: Connection, snapshot: Snapshot, code: str, recorded_as_of: datetime | None = None
) -> list[SpendingLine]:
    """``statement_spending`` of a deal's beschikkingen in ``snapshot``."""
    nummers = [b.nummer for b in snapshot.beschikkingen if b.deal == code]
    return statement_spending(connection, nummers, snapshot.as_of, recorded_as_of)


def statement_spending(
    connection: Connection,
    nummers: list[str],
    as_of: date,
    recorded_as_of: datetime | None = None,
) -> list[SpendingLine]:
    """The lines of the statements of ``nummers`` that count (booked, not replaced or withdrawn,
    as the books stood at ``recorded_as_of``) and whose spending falls on or before ``as_of``:
    what a deal's voortgang adds up by programme line, project and partner."""
    known = Known.at_moment(connection, recorded_as_of)
    counted = {
        r.id
        for nummer in nummers
        for r in statements(connection, nummer, known)
        if r.status == StatementStatus.BOOKED
    }
    if not counted:
        return []
    s, line = statement_table.c, statement_line_table.c
    rows = connection.execute(
        select(s.id, s.beschikking, s.year, beschikking_table.c.currency, statement_line_table)
        .join(statement_line_table, line.statement_id == s.id)
        .join(beschikking_table, beschikking_table.c.nummer == s.beschikking)
        .where(s.public_id.in_(sorted(counted)))  # a record's id is its public id
        .order_by(s.id, line.row_number)
    ).all()
    last_day: dict[int, date] = {}
    for r in rows:
        last_day[r.id] = max(last_day.get(r.id, r.spent_on), r.spent_on)
    return [
        SpendingLine(
            r.beschikking,
            r.year,
            r.source,
            Money.from_minor_units(r.amount, r.currency),
            r.partner,
            r.programme_line,
            r.project,
            r.source == FundingSource.COFINANCIERING_PRIVAAT,
        )
        for r in rows
        if last_day[r.id] <= as_of
    ]


def _published(connection: Connection) -> list[PublishedFigure]:
    return [
        PublishedFigure(
            r.kind,
            r.key,
            r.name,
            Money.from_minor_units(r.amount),
            r.published_on,
            r.source,
            bool(r.dated),
        )
        for r in connection.execute(
            select(figure_table).order_by(figure_table.c.published_on, figure_table.c.id)
        )
    ]


def spending_ends(
    connection: Connection,
    as_of: date = date.max,
    known: Known = EVERYTHING,
    nummers: Collection[str] | None = None,
) -> dict[str, date]:
    """Per beschikking (or for those in ``nummers``), the end of its spending period after
    extensions up to ``as_of``."""
    c = event_table.c
    query = (
        select(c.beschikking, func.max(c.new_end_on))
        .where(c.kind == EventKind.EXTENSION, c.effective_on <= as_of, known.records(c.recorded_at))
        .group_by(c.beschikking)
    )
    if nummers is not None:
        query = query.where(c.beschikking.in_(sorted(nummers)))
    return {nummer: end for nummer, end in connection.execute(query)}


#: Every table a snapshot is read from. All are append-only (triggers refuse UPDATE and
#: DELETE), so together they name the state a snapshot comes from: for a table with a numeric
#: key its highest key (one index lookup, however long the journal), for the small tables keyed
#: by a code their row count.
GROWING_BY_ID = (
    "budget_change",
    "budget_event",
    "pledge",
    "beschikking_event",
    "published_figure",
    "account",
    "journal_entry",
    "statement",  # which years' spending is in (the SiSa status), even a statement of no money
    "amendment",  # a statement withdrawn
)
COUNTED = (
    "organisation",
    "envelope",
    "tranche",
    "reservation",
    "deal",
    "programme_line",
    "beschikking",
    "budget_article",  # the budget view's articles and the tranches they carry
    "budget_article_tranche",
)
_VERSION_QUERY = "SELECT " + ", ".join(
    [f"(SELECT coalesce(max(id), 0) FROM {table})" for table in GROWING_BY_ID]
    + [f"(SELECT count(*) FROM {table})" for table in COUNTED]
)


def ledger_version(connection: Connection) -> tuple[int, ...]:
    """A cheap fingerprint of everything a snapshot reads: equal versions, equal snapshots
    (for the same date). One query; what is derived from a snapshot may be kept under it."""
    return tuple(connection.exec_driver_sql(_VERSION_QUERY).one())
