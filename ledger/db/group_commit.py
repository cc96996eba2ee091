"""Group commit: many writes, one transaction, one COMMIT (PostgreSQL).

Every write queues behind the journal lock anyway (``ledger.db.journal``): the chain needs one
order. Booked one transaction each, a write pays for its own lock, its own snapshot and its own
COMMIT (the flush to disk) while every other writer waits. Here the writes that wait together
are booked by one of them: one write transaction, the journal lock taken once, each write in
order in a savepoint of its own, one COMMIT, and only then each answered:

- each write is exactly what it would be alone: its own key, entry, events and kept answer,
  the chain sealed in the order the writes ran, every check and trigger on; a later write of
  the group sees the earlier ones (as it would have after their commits);
- a write that is refused rolls back to its savepoint (nothing of it stays) and its refusal is
  raised to its caller once the group has committed; the others are not touched;
- when the group cannot commit (the connection broke, a deferred check failed), nothing of it
  stays and each write is run again alone, in a transaction of its own, with its own answer.

A group is what queued while the previous one was booked, at most ``MOST`` writes. Nothing
waits for company: a write that finds no other is booked exactly as alone (no savepoint, no
other thread), and its failure to commit is its own answer.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine

from ledger.db.journal import serialise_writers
from ledger.db.unit_of_work import UnitOfWork

T = TypeVar("T")

#: The most writes one transaction takes.
MOST = 64

Work = Callable[[Connection], T]


class _Alone:
    """The answer to a write whose group did not commit: run it again on its own."""


ALONE = _Alone()


@dataclass
class Pending(Generic[T]):
    """A write waiting for its group: its answer, or the word that it leads the next group."""

    work: Work[T]
    answer: Future = field(default_factory=Future)
    wake: threading.Event = field(default_factory=threading.Event)
    leads: bool = False


def alone(engine: Engine, work: Work[T]) -> T:
    """A write in a transaction of its own."""
    with UnitOfWork(engine, write=True) as uow:
        value = work(uow.connection)
        uow.commit()
    return value


class GroupCommit:
    """The writes of one engine: ``run(work)`` answers what ``work(connection)`` returned, or
    raises what it raised, once its group committed.

    No thread of its own: the first write to arrive while no group is being booked leads, books
    every write waiting by then (itself first) in its own thread, then hands the lead to the
    first write that queued meanwhile, if any. A write that finds nothing else to book is
    booked just as it would be alone: no savepoint, no thread switch."""

    def __init__(self, engine: Engine, most: int = MOST):
        self._engine = weakref.ref(engine)  # kept per engine in a WeakKeyDictionary: no cycle
        self.most = most
        self._waiting: list[Pending[Any]] = []
        self._booking = False
        self._guard = threading.Lock()

    @property
    def engine(self) -> Engine:
        engine = self._engine()
        if engine is None:
            raise RuntimeError("the engine of this group commit is gone")
        return engine

    def run(self, work: Work[T]) -> T:
        pending: Pending[T] = Pending(work)
        with self._guard:
            self._waiting.append(pending)
            pending.leads = not self._booking
            self._booking = True
        if not pending.leads:
            pending.wake.wait()  # answered, or asked to lead
        if pending.leads:
            self._lead()
        outcome = pending.answer.result()
        if outcome is ALONE:
            return alone(self.engine, work)
        return outcome

    def _lead(self) -> None:
        with self._guard:
            group = self._waiting[: self.most]
            del self._waiting[: self.most]
        self.book(group)
        with self._guard:
            if self._waiting:
                successor = self._waiting[0]
                successor.leads = True
                successor.wake.set()
            else:
                self._booking = False

    def book(self, group: list[Pending[Any]]) -> None:
        """One transaction for the group; each write answered after its COMMIT."""
        try:
            with UnitOfWork(self.engine, write=True) as uow:
                if len(group) == 1:  # the transaction is the write's own
                    outcomes = [_alone_in(uow.connection, group[0].work)]
                else:
                    serialise_writers(uow.connection)
                    outcomes = [_in_savepoint(uow.connection, pending.work) for pending in group]
                uow.commit()
        except BaseException as error:  # noqa: BLE001 - the group failed as a whole
            lone = len(group) == 1
            outcomes = [(None, error)] if lone else [(ALONE, None)] * len(group)  # each alone
        for pending, (value, error) in zip(group, outcomes, strict=True):
            if error is None:
                pending.answer.set_result(value)
            else:
                pending.answer.set_exception(error)
            pending.wake.set()


def _alone_in(connection: Connection, work: Work[T]) -> tuple[T | None, Exception | None]:
    """The one write of a transaction: what it raises ends the transaction (it rolls back)."""
    try:
        return work(connection), None
    except Exception as error:  # noqa: BLE001 - handed to the write's own caller
        connection.rollback()
        return None, error


def _in_savepoint(connection: Connection, work: Work[T]) -> tuple[T | None, Exception | None]:
    """Run one write; if it raises, undo it alone (back to its savepoint) and keep the error
    for its caller."""
    savepoint = connection.begin_nested()
    try:
        value = work(connection)
    except Exception as error:  # noqa: BLE001 - handed to the write's own caller
        savepoint.rollback()
        return None, error
    savepoint.commit()
    return value, None


_bookers: WeakKeyDictionary[Engine, GroupCommit] = WeakKeyDictionary()
_bookers_guard = threading.Lock()


def grouped(engine: Engine, work: Work[T]) -> T:
    """Run a write in a group on PostgreSQL; on SQLite (one writer at a time, in process and
    on disk) alone."""
    if engine.dialect.name != "postgresql":
        return alone(engine, work)
    with _bookers_guard:
        booker = _bookers.get(engine)
        if booker is None:
            booker = _bookers[engine] = GroupCommit(engine)
    return booker.run(work)
