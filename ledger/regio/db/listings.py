"""Keyset pages of the Regio Deals' plain records, for the API's lists: the published figures
in the order they were entered, and the organisations by code with what each received and
partnered. Each read returns up to ``limit + 1`` rows (one more says there is a next page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from ledger.regio.db.tables import beschikking_table, figure_table, organisation_table, pledge_table


def published_figures(
    connection: Connection,
    *,
    kind: str | None,
    published_from: date | None,
    published_to: date | None,
    after: int,
    limit: int,
) -> list[Any]:
    c = figure_table.c
    query = select(figure_table).where(c.id > after).order_by(c.id).limit(limit + 1)
    if kind:
        query = query.where(c.kind == kind)
    if published_from:
        query = query.where(c.published_on >= published_from)
    if published_to:
        query = query.where(c.published_on <= published_to)
    return list(connection.execute(query).all())


def organisation_codes(
    connection: Connection,
    *,
    kind: str | None,
    only: str | None,
    after: str | None,
    limit: int,
) -> list[str]:
    """Organisation codes in order, of one type, or only ``only`` (a region sees itself)."""
    o = organisation_table.c
    query = select(o.code).order_by(o.code).limit(limit + 1)
    if after:
        query = query.where(o.code > after)
    if kind:
        query = query.where(o.type == kind)
    if only is not None:
        query = query.where(o.code == only)
    return list(connection.execute(query).scalars())


@dataclass(frozen=True)
class OrganisationRecord:
    code: str
    name: str
    type: str
    beschikkingen: list[str]  # received, by nummer
    partner_of: list[str]  # deals, by code


def organisations(connection: Connection, codes: list[str]) -> list[OrganisationRecord]:
    """The organisations of ``codes`` (by code), each with the beschikkingen it received and
    the deals it is a partner of."""
    received: dict[str, list[str]] = {code: [] for code in codes}
    partnered: dict[str, set[str]] = {code: set() for code in codes}
    b, p = beschikking_table.c, pledge_table.c
    for nummer, recipient in connection.execute(
        select(b.nummer, b.recipient).where(b.recipient.in_(codes)).order_by(b.nummer)
    ):
        received[recipient].append(nummer)
    for deal, partner in connection.execute(select(p.deal, p.partner).where(p.partner.in_(codes))):
        partnered[partner].add(deal)
    rows = connection.execute(
        select(organisation_table)
        .where(organisation_table.c.code.in_(codes))
        .order_by(organisation_table.c.code)
    )
    return [
        OrganisationRecord(r.code, r.name, r.type, received[r.code], sorted(partnered[r.code]))
        for r in rows
    ]
