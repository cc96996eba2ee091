"""The Regio Deals service: every operation is one unit of work that checks the rules,
writes its object rows and books its one balanced entry, or does nothing at all. The
operations live with their aggregate (``budget``, ``deals``, ``beschikkingen``, …); this class
composes them on one engine, clock and (optionally) the caller's connection, and answers each
operation by the aggregate that owns it: ``service.grant(…)`` is
``service.beschikkingen.grant(…)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine

from ledger.db.journal import Clock, utc_now
from ledger.regio.db.accountability import AccountabilityOperations
from ledger.regio.db.accountability_corrections import AccountabilityCorrections
from ledger.regio.db.begroting import BegrotingOperations
from ledger.regio.db.beschikkingen import BeschikkingOperations
from ledger.regio.db.budget import BudgetOperations
from ledger.regio.db.budget_events import BudgetEventOperations
from ledger.regio.db.corrections import CorrectionOperations
from ledger.regio.db.deals import DealOperations
from ledger.regio.db.schedules import ScheduleOperations
from ledger.regio.db.writer import Amount, Writer, in_currency_of

__all__ = ["AGGREGATES", "Amount", "RegioService", "in_currency_of"]

#: The aggregates, by the name the service knows each by.
AGGREGATES: dict[str, type[Writer]] = {
    "budget": BudgetOperations,
    "budget_events": BudgetEventOperations,
    "deals": DealOperations,
    "beschikkingen": BeschikkingOperations,
    "accountability": AccountabilityOperations,
    "corrections": CorrectionOperations,
    "accountability_corrections": AccountabilityCorrections,
    "begroting": BegrotingOperations,
    "schedules": ScheduleOperations,
}


class RegioService:
    """Budget, deals, beschikkingen, accountability and the corrections that cross them, on
    one engine (and clock, and optionally the caller's connection)."""

    budget: BudgetOperations
    budget_events: BudgetEventOperations
    deals: DealOperations
    beschikkingen: BeschikkingOperations
    accountability: AccountabilityOperations
    corrections: CorrectionOperations
    accountability_corrections: AccountabilityCorrections
    begroting: BegrotingOperations
    schedules: ScheduleOperations

    def __init__(
        self, engine: Engine, clock: Clock = utc_now, connection: Connection | None = None
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.connection = connection
        for name, aggregate in AGGREGATES.items():
            setattr(self, name, aggregate(engine, clock, connection))


def operations_of(aggregate: type[Writer]) -> list[str]:
    """The operations an aggregate offers: its public methods (not the Writer's helpers)."""
    return [
        name
        for klass in aggregate.__mro__
        if klass not in Writer.__mro__
        for name, value in vars(klass).items()
        if not name.startswith("_") and callable(value)
    ]


def _forwarded(aggregate: str, name: str, to: Callable[..., Any]) -> Callable[..., Any]:
    def operation(self: RegioService, *args: Any, **kwargs: Any) -> Any:
        return getattr(getattr(self, aggregate), name)(*args, **kwargs)

    operation.__name__, operation.__doc__ = name, to.__doc__
    operation.__qualname__ = f"RegioService.{name}"
    return operation


def _compose() -> None:
    """Each operation of each aggregate as an operation of the service; an operation two
    aggregates both offered would be ambiguous, and is refused at import."""
    owner: dict[str, str] = {}
    for aggregate, klass in AGGREGATES.items():
        for name in operations_of(klass):
            if name in owner:
                raise TypeError(f"{name} is offered by both {owner[name]} and {aggregate}")
            owner[name] = aggregate
            setattr(RegioService, name, _forwarded(aggregate, name, getattr(klass, name)))


_compose()
