"""Who may see a beschikking: finance officers and auditors all; a region only its own, and
another region's beschikking does not exist for it (404, so existence is not revealed)."""

from __future__ import annotations

from sqlalchemy import Engine

from api.http.problems import Refusal
from api.http.users import Role, User
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.regio.db.rows import BeschikkingState, beschikking_state


def visible_beschikking(engine: Engine, user: User, nummer: str) -> BeschikkingState:
    try:
        with UnitOfWork(engine) as uow:
            state = beschikking_state(uow.connection, nummer)
    except LedgerError:
        raise Refusal(404, "beschikking_not_found", f"No beschikking {nummer}.") from None
    if user.role == Role.REGION and state.beschikking.recipient != user.organisation:
        raise Refusal(404, "beschikking_not_found", f"No beschikking {nummer}.")
    return state


def own_rows(user: User, recipient: str | None) -> str | None:
    """A region sees and submits its own rows only; finance and auditors any recipient's."""
    if user.role != Role.REGION:
        return recipient
    if recipient not in (None, user.organisation):
        raise Refusal(404, "not_found", "These rows are not this region's to see.")
    return user.organisation
