"""``regioledger users``: the users of the HTTP API and their tokens."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from api.cli.options import DatabaseOption, FormatOption, lifetime, open_ledger

users_app = typer.Typer(help="Users of the HTTP API and their tokens.", no_args_is_help=True)
ExpiresIn = Annotated[
    timedelta,
    typer.Option("--expires-in", parser=lifetime, help="How long the token works: 90d, 12h, 30m."),
]


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    role: Annotated[str, typer.Option("--role", help="finance, region or auditor.")],
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="For a region: its organisation code.")
    ] = None,
    expires_in: ExpiresIn = "90d",  # type: ignore[assignment] - parsed by lifetime
    database: DatabaseOption = None,
) -> None:
    """Create an API user and print its bearer token once (only its hash is stored)."""
    from api.http.users import add_user

    with open_ledger(database) as engine:
        token = add_user(engine, name, role, organisation, lifetime=expires_in)
    until = datetime.now(UTC) + expires_in
    typer.echo(
        f"User {name} ({role}{', ' + organisation if organisation else ''}) created; the token works "
        f"until {until:%Y-%m-%d %H:%M} UTC. Token (shown once):"
    )
    typer.echo(token)


@users_app.command("list")
def users_list(database: DatabaseOption = None, output_format: FormatOption = "text") -> None:
    """Every user with its role, organisation and the state of its token."""
    from api.http.users import list_users

    with open_ledger(database) as engine:
        users = list_users(engine)
    if output_format == "json":
        typer.echo(
            json.dumps(
                [
                    {
                        "name": u.name,
                        "role": u.role,
                        "organisation": u.organisation,
                        "token": u.token,
                        "expires_at": u.expires_at.isoformat() if u.expires_at else None,
                    }
                    for u in users
                ],
                indent=2,
            )
        )
        return
    for u in users:
        until = (
            f" until {u.expires_at:%Y-%m-%d %H:%M} UTC"
            if u.token == "active" and u.expires_at
            else ""
        )
        typer.echo(f"{u.name:<24} {u.role:<8} {u.organisation or '-':<20} token {u.token}{until}")


@users_app.command("revoke")
def users_revoke(
    name: Annotated[str, typer.Argument(help="The user's name.")], database: DatabaseOption = None
) -> None:
    """Revoke a user's tokens and end their dashboard sessions (a running server stops
    accepting the token within 30 seconds, the life of its token cache)."""
    from api.http.users import revoke

    with open_ledger(database) as engine:
        count = revoke(engine, name, actor="regioledger users revoke")
    typer.echo(f"{name}: {count} token(s) revoked.")


@users_app.command("rotate")
def users_rotate(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    expires_in: ExpiresIn = "90d",  # type: ignore[assignment] - parsed by lifetime
    database: DatabaseOption = None,
) -> None:
    """Give a user a new token (printed once); the old one stops working."""
    from api.http.users import rotate

    with open_ledger(database) as engine:
        token = rotate(engine, name, actor="regioledger users rotate", lifetime=expires_in)
    typer.echo(f"{name}: new token (shown once; the old one is revoked):")
    typer.echo(token)


Subject = Annotated[
    str | None, typer.Option("--subject", help="The identity's subject (its sub claim).")
]
Group = Annotated[str | None, typer.Option("--group", help="A group in its groups claim.")]
By = Annotated[str, typer.Option("--by", help="Who does this; recorded with the mapping.")]
Reason = Annotated[str, typer.Option("--reason", help="Why; recorded with the mapping.")]


def _record(database: str | None, issuer: str, subject: str | None, group: str | None, **how):  # noqa: ANN003, ANN202
    from api.http.identities import record_mapping
    from ledger.db.journal import utc_now
    from ledger.db.unit_of_work import UnitOfWork

    with open_ledger(database) as engine, UnitOfWork(engine, write=True) as uow:
        made = record_mapping(
            uow.connection, issuer, subject=subject, group=group, at=utc_now(), **how
        )
        uow.commit()
    return made


@users_app.command("map")
def users_map(
    issuer: Annotated[str, typer.Argument(help="The identity provider's issuer URL.")],
    role: Annotated[str, typer.Option("--role", help="finance, region or auditor.")],
    by: By,
    reason: Reason,
    subject: Subject = None,
    group: Group = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="For a region: its organisation code.")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Map an identity at an identity provider (its subject, or a group) to a role and
    organisation; the latest mapping of an identity holds."""
    made = _record(
        database,
        issuer,
        subject,
        group,
        role=role,
        organisation=organisation,
        actor=by,
        reason=reason,
    )
    typer.echo(
        f"{made.subject or made.group} at {issuer}: {role}{', ' + organisation if organisation else ''}."
    )


@users_app.command("unmap")
def users_unmap(
    issuer: Annotated[str, typer.Argument(help="The identity provider's issuer URL.")],
    by: By,
    reason: Reason,
    subject: Subject = None,
    group: Group = None,
    database: DatabaseOption = None,
) -> None:
    """Revoke an identity's mapping: its tokens are refused from now on."""
    made = _record(
        database, issuer, subject, group, role=None, organisation=None, actor=by, reason=reason
    )
    typer.echo(f"{made.subject or made.group} at {issuer}: revoked.")
