"""Reconciling the ministry's own record against the ledger: read the file, gather the ledger's
commitments, payments and repayments of the beschikkingen in scope (as of a date, as the books
stood at a moment), match them (``reports.matching``), and keep the answer. Nothing is booked.

The ledger's side of each beschikking: its grant (``verplichting``, the decided amount on the
date of decision) and each wijzigingsbeschikking (a ``verplichting`` of the change); each
payment that stands (one corrected through the domain was never paid as booked); each repayment
(``terugontvangst``). The kenmerk of a ledger item is the source its entry was booked on."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from api.reconcile.reader import Record, read_record
from api.reconcile.store import Kept, keep, new_public_id
from api.statements.limits import StatementLimits
from ledger.db.journal import utc_now
from ledger.db.rows import entry_table
from ledger.money import Money
from ledger.regio.db.history import beschikking_history
from ledger.regio.db.known import Known
from ledger.regio.db.snapshot import load_snapshot
from ledger.regio.db.tables import beschikking_table
from ledger.regio.model import Beschikking
from ledger.regio.snapshot import Snapshot
from reports.matching import OUTCOMES, WINDOW_DAYS, LedgerItem, Pair, match, totals


@dataclass(frozen=True)
class Scope:
    """Which beschikkingen are matched: those the file names, plus a tranche's, or all."""

    tranche: str | None = None
    everything: bool = False
    as_of: date | None = None
    recorded_as_of: datetime | None = None
    window_days: int = WINDOW_DAYS


def reconcile_file(
    connection: Connection,
    content: bytes,
    filename: str,
    made_by: str,
    scope: Scope,
    limits: StatementLimits | None = None,
) -> Kept:
    """Read a file, match it and keep the answer, in the caller's transaction (which commits
    it); a file that cannot be read at all raises LedgerError and keeps nothing."""
    record = read_record(content, limits)
    return reconcile_record(connection, record, content, filename, made_by, scope)


def reconcile_record(
    connection: Connection,
    record: Record,
    content: bytes,
    filename: str,
    made_by: str,
    scope: Scope,
) -> Kept:
    """Match a file already read and keep the answer, written as JSON once (a file may hold
    200,000 lines: no line of it becomes a dictionary on the way)."""
    public_id, made_at = new_public_id(), utc_now()
    sha256 = hashlib.sha256(content).hexdigest()
    head = {
        "id": public_id,
        "made_by": made_by,
        "made_at": made_at.isoformat(),
        "filename": filename,
        "sha256": sha256,
    }
    text = answer_text(head, *answer_for(connection, record, scope))
    return keep(
        connection,
        public_id=public_id,
        made_by=made_by,
        made_at=made_at,
        filename=filename,
        sha256=sha256,
        content=content,
        text=text,
    )


def answer_for(
    connection: Connection, record: Record, scope: Scope
) -> tuple[dict[str, Any], list[tuple[dict[str, Any], list[Pair]]]]:
    """The answer to a file as the books stand at the scope's moment (no id, no time: the same
    file against the same books answers the same): its fields, and per beschikking its fields
    and its pairs."""
    known = Known.at_moment(connection, scope.recorded_as_of)
    snapshot = load_snapshot(connection, scope.as_of or date.max, scope.recorded_as_of)
    by_nummer = {b.nummer: b for b in snapshot.beschikkingen}
    # A nummer is one beschikking whatever its letter case: the file's spelling is the ledger's.
    spelled = {nummer.lower(): nummer for nummer in by_nummer}
    tranches = {d.code: d.tranche for d in snapshot.deals}
    wanted = {spelled.get(nummer.lower(), nummer) for nummer in record.nummers}
    for b in snapshot.beschikkingen:
        if scope.everything or tranches.get(b.deal) == scope.tranche:
            wanted.add(b.nummer)
    items = _ledger_items(
        connection, [by_nummer[n] for n in sorted(wanted) if n in by_nummer], scope, known
    )
    currencies = {n: b.amount.currency for n, b in by_nummer.items()}
    lines = (
        Record.in_currency(line, nummer, currencies.get(nummer, "EUR"))
        for line in record.hand_over()
        for nummer in (spelled.get(line.nummer.lower(), line.nummer),)
    )
    pairs = match(lines, items, scope.window_days)
    return _document(pairs, record, scope, snapshot, sorted(wanted), tranches)


def _ledger_items(
    connection: Connection, beschikkingen: list[Beschikking], scope: Scope, known: Known
) -> list[LedgerItem]:
    day = scope.as_of or date.max
    grant_entries = dict(
        connection.execute(
            select(beschikking_table.c.nummer, beschikking_table.c.entry_id).where(
                beschikking_table.c.nummer.in_([b.nummer for b in beschikkingen])
            )
        ).all()
    )
    found: list[tuple[str, str, str, date, Money, tuple[int, ...]]] = []
    for b in beschikkingen:
        found.append(
            ("grant", b.nummer, "verplichting", b.decided_on, b.amount, (grant_entries[b.nummer],))
        )
        history = beschikking_history(connection, b.nummer, b.amount.currency, day, known)
        for h in history.happenings:
            kind = _kind_of(h.kind, h.corrected_by)
            if kind and h.amount is not None:
                found.append(
                    (h.id, b.nummer, kind, h.effective_on, h.amount, (h.entry,) if h.entry else ())
                )
    sources = _sources(connection, {e for *_, entries in found for e in entries})
    return [
        LedgerItem(
            ref, nummer, kind, on, amount, sources.get(entries[0]) if entries else None, entries
        )
        for ref, nummer, kind, on, amount, entries in found
    ]


def _kind_of(kind: str, corrected_by: str | None) -> str | None:
    if kind == "payment":
        return None if corrected_by else "betaling"
    return {"repayment": "terugontvangst", "beschikking_amendment": "verplichting"}.get(kind)


def _sources(connection: Connection, entries: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ordered = sorted(entries)
    for start in range(0, len(ordered), 500):
        part = ordered[start : start + 500]
        for entry, source in connection.execute(
            select(entry_table.c.id, entry_table.c.source_document).where(
                entry_table.c.id.in_(part)
            )
        ):
            if source:
                found[entry] = source
    return found


def _money(amount: Money) -> str:
    return str(amount.amount)


def _pair(pair: Pair) -> dict[str, Any]:
    line, item = pair.line, pair.item
    return {
        "outcome": pair.outcome,
        "kind": pair.kind,
        "file": None
        if line is None
        else {
            "line": line.line,
            "date": line.on.isoformat(),
            "amount": _money(line.amount),
            "kenmerk": line.kenmerk,
            "omschrijving": line.omschrijving,
        },
        "ledger": None
        if item is None
        else {
            "ref": item.ref,
            "date": item.on.isoformat(),
            "amount": _money(item.amount),
            "kenmerk": item.kenmerk,
            "entries": list(item.entries),
        },
        "difference": None if pair.difference is None else _money(pair.difference),
        "days_apart": None if line is None or item is None else (line.on - item.on).days,
    }


def _totals(pairs: list[Pair], currency: str) -> dict[str, Any]:
    t = totals(pairs, currency)
    return {
        "counts": t.counts,
        "file": {k: _money(v) for k, v in t.file.items()},
        "ledger": {k: _money(v) for k, v in t.ledger.items()},
    }


def _document(
    pairs: list[Pair],
    record: Record,
    scope: Scope,
    snapshot: Snapshot,
    nummers: list[str],
    tranches: dict[str, str],
) -> tuple[dict[str, Any], list[tuple[dict[str, Any], list[Pair]]]]:
    by_nummer = {b.nummer: b for b in snapshot.beschikkingen}
    grouped: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        grouped[pair.nummer].append(pair)
    per_tranche: dict[tuple[str | None, str], list[Pair]] = defaultdict(list)
    beschikkingen = []
    for nummer in sorted(grouped):
        b = by_nummer.get(nummer)
        currency = b.amount.currency if b else "EUR"
        tranche = tranches.get(b.deal) if b else None
        per_tranche[(tranche, currency)] += grouped[nummer]
        fields = {
            "nummer": nummer,
            "in_ledger": b is not None,
            "deal": b.deal if b else None,
            "tranche": tranche,
            "currency": currency,
            **_totals(grouped[nummer], currency),
        }
        beschikkingen.append((fields, grouped[nummer]))
    return {
        "as_of": scope.as_of.isoformat() if scope.as_of else None,
        "recorded_as_of": scope.recorded_as_of.isoformat() if scope.recorded_as_of else None,
        "window_days": scope.window_days,
        "scope": {
            "tranche": scope.tranche,
            "everything": scope.everything,
            "beschikkingen": nummers,
        },
        "lines_in_file": record.lines_in_file,
        "lines_read": record.lines_read,
        "counts": {o: sum(1 for p in pairs if p.outcome == o) for o in OUTCOMES},
        "problem_count": record.problem_count,
        "problems": [p.as_dict() for p in record.problems],
        "tranches": [
            {"tranche": tranche, "currency": currency, **_totals(found, currency)}
            for (tranche, currency), found in sorted(
                per_tranche.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])
            )
        ],
    }, beschikkingen


#: Pairs written to the answer's text at a time: the text is built from pieces of about this
#: many pairs, never from one string per pair.
PAIRS_PER_PIECE = 1_000
COMPACT = (",", ":")


def answer_text(
    head: dict[str, Any],
    fields: dict[str, Any],
    beschikkingen: list[tuple[dict[str, Any], list[Pair]]],
) -> str:
    """The answer as one JSON object: ``head`` and ``fields``, then ``beschikkingen``, each with
    its ``pairs``; ASCII, so the text costs one byte a character whatever a line says. The
    pairs are let go as they are written (the lists are emptied)."""
    pieces = [json.dumps({**head, **fields})[:-1], ', "beschikkingen": [']
    for number, (beschikking, pairs) in enumerate(beschikkingen):
        pieces.append(("," if number else "") + json.dumps(beschikking)[:-1] + ', "pairs": [')
        pairs.reverse()
        first = True
        while pairs:
            part = [pairs.pop() for _ in range(min(PAIRS_PER_PIECE, len(pairs)))]
            written = ",".join(json.dumps(_pair(p), separators=COMPACT) for p in part)
            pieces.append(("" if first else ",") + written)
            first = False
        pieces.append("]}")
    pieces.append("]}")
    return "".join(pieces)
