"""Who is who, as data: an identity at an identity provider (its issuer and subject, or a group
it carries in its ``groups`` claim) mapped to a role and organisation of the ledger, kept by
finance officers with who and why (migration 0021). Append-only: a change is a new row, a
revocation a row that maps to nothing; the latest row for an identity holds.

An identity's own mapping comes first, then a mapping of any group it carries (a revoked one
among them refuses it), then the provider's role and organisation claims
(``api.http.oidc.user_for_claims``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    insert,
    select,
)
from sqlmodel import Field, SQLModel

from api.http.users import ROLES, Role
from ledger.db.models import ID, table_of
from ledger.errors import LedgerError
from ledger.regio.db import rows as regio_rows
from ledger.said import said


class IdentityMappingRow(SQLModel, table=True):
    __tablename__ = "identity_mapping"
    __table_args__ = (
        CheckConstraint("(subject IS NULL) <> (group_name IS NULL)", name="subject_or_group"),
        CheckConstraint(
            "revoked OR role IN ('finance', 'region', 'auditor')", name="role_unless_revoked"
        ),
        CheckConstraint(
            "revoked OR role <> 'region' OR organisation IS NOT NULL", name="region_organisation"
        ),
        Index("ix_identity_mapping_who", "issuer", "subject", "group_name"),
    )

    id: int | None = Field(default=None, sa_column=Column(ID, primary_key=True, autoincrement=True))
    issuer: str = Field(sa_column=Column(String(500), nullable=False))
    subject: str | None = Field(default=None, sa_column=Column(String(500)))
    group_name: str | None = Field(default=None, sa_column=Column(String(500)))
    role: str | None = Field(default=None, sa_column=Column(String(10)))
    organisation: str | None = Field(
        default=None, sa_column=Column(String(100), ForeignKey("organisation.code"))
    )
    revoked: bool = Field(sa_column=Column(Boolean, nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


mapping_table = table_of(IdentityMappingRow)


@dataclass(frozen=True)
class Mapping:
    issuer: str
    subject: str | None
    group: str | None
    role: Role | None  # None: revoked
    organisation: str | None
    actor: str
    reason: str
    recorded_at: datetime


def record_mapping(
    connection: Connection,
    issuer: str,
    *,
    subject: str | None,
    group: str | None,
    role: str | None,
    organisation: str | None,
    actor: str,
    reason: str,
    at: datetime,
) -> Mapping:
    """Map an identity (``role`` None: revoke its mapping), refused in the user's words."""
    if (subject is None) == (group is None):
        raise LedgerError.single(
            "identity_subject_or_group",
            said("Name either the identity's subject or a group, not both."),
        )
    if role is not None and role not in ROLES:
        raise LedgerError.single(
            "invalid_role", said("Role must be one of {names}.", names=", ".join(ROLES))
        )
    if role == Role.REGION and not organisation:
        raise LedgerError.single(
            "organisation_missing", said("A region's identity needs its organisation.")
        )
    if organisation and regio_rows.organisation(connection, organisation) is None:
        raise LedgerError.single(
            "organisation_not_found",
            said("Organisation {organisation_code} is not known.", organisation_code=organisation),
        )
    if role is None and _latest(connection, issuer, subject, group) is None:
        raise LedgerError.single(
            "identity_not_mapped",
            said("There is no mapping of this identity at {issuer} to revoke.", issuer=issuer),
        )
    values = dict(
        issuer=issuer,
        subject=subject,
        group_name=group,
        role=role,
        organisation=organisation if role else None,
        revoked=role is None,
        actor=actor,
        reason=reason,
        recorded_at=at,
    )
    connection.execute(insert(mapping_table).values(**values))
    return Mapping(
        issuer,
        subject,
        group,
        Role(role) if role else None,
        values["organisation"],
        actor,
        reason,
        at,
    )


def _latest(
    connection: Connection, issuer: str, subject: str | None, group: str | None
) -> Mapping | None:
    column, value = (
        (mapping_table.c.subject, subject)
        if subject is not None
        else (mapping_table.c.group_name, group)
    )
    row = connection.execute(
        select(mapping_table)
        .where(mapping_table.c.issuer == issuer, column == value)
        .order_by(mapping_table.c.id.desc())
        .limit(1)
    ).first()
    return _mapping(row) if row is not None else None


def _mapping(row: object) -> Mapping:
    r = row
    return Mapping(
        r.issuer,  # type: ignore[attr-defined]
        r.subject,  # type: ignore[attr-defined]
        r.group_name,  # type: ignore[attr-defined]
        None if r.revoked else Role(r.role),  # type: ignore[attr-defined]
        r.organisation,  # type: ignore[attr-defined]
        r.actor,  # type: ignore[attr-defined]
        r.reason,  # type: ignore[attr-defined]
        r.recorded_at,  # type: ignore[attr-defined]
    )


def mapping_for(
    connection: Connection, issuer: str, subject: str, groups: list[str]
) -> Mapping | None:
    """The mapping that holds for an identity: its own, else a group's (a revoked one found
    first refuses); None when nothing maps it."""
    own = _latest(connection, issuer, subject, None)
    if own is not None:
        return own
    for group in sorted(groups):
        found = _latest(connection, issuer, None, group)
        if found is not None:
            return found
    return None


def mappings(connection: Connection) -> list[Mapping]:
    """Every mapping as recorded, oldest first (revocations included)."""
    rows = connection.execute(select(mapping_table).order_by(mapping_table.c.id)).all()
    return [_mapping(r) for r in rows]
