"""Answers derived from a snapshot (the reconciliation, its workbook, the charts, the SiSa
status of every beschikking (``api.http.sisa_status``), and the whole books themselves), kept under the ledger's version: every table they read is append-only, so
the row counts of those tables (``ledger_version``) change with every write that could change
the answer. A write makes the next request compute afresh; reads in between cost one small
query. Requests that ask at once for what is not computed yet wait for one computation of it
rather than each doing it again."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from datetime import date, datetime

from sqlalchemy import Engine

from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.snapshot import ledger_version, load_snapshot
from ledger.regio.snapshot import Snapshot


class DerivedAnswers:
    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, object] = OrderedDict()
        self._computing: dict[Hashable, Future[object]] = {}
        self._lock = threading.Lock()

    def get_or_compute(
        self, engine: Engine, key: Hashable, compute: Callable[[], object]
    ) -> object:
        with UnitOfWork(engine) as uow:
            version = ledger_version(uow.connection)
        full_key = (key, version)
        with self._lock:
            if full_key in self._answers:
                self._answers.move_to_end(full_key)
                return self._answers[full_key]
            computing = self._computing.get(full_key)
            if computing is None:
                computing = self._computing[full_key] = Future()
                mine = True
            else:
                mine = False
        if not mine:
            return computing.result()  # another request's computation (or its failure)
        try:
            answer = compute()
        except BaseException as error:
            with self._lock:
                del self._computing[full_key]
            computing.set_exception(error)
            raise
        with self._lock:
            self._answers[full_key] = answer
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
            del self._computing[full_key]
        computing.set_result(answer)
        return answer


#: The whole books as of a date (and moment), for what truly reads all of them (the overview,
#: the unfiltered lists, the reports): one shared, read-only snapshot per state of the ledger,
#: computed once after a write; a few kept (a snapshot of a large ledger is large).
WHOLE_BOOKS = DerivedAnswers(size=4)


def whole_books(engine: Engine, as_of: date, recorded_as_of: datetime | None = None) -> Snapshot:
    """The snapshot of every part of the books of ``engine``'s ledger (see ``WHOLE_BOOKS``)."""

    def compute() -> Snapshot:
        with UnitOfWork(engine) as uow:
            return load_snapshot(uow.connection, as_of, recorded_as_of)

    key = ("whole books", engine.url.render_as_string(), as_of, recorded_as_of)
    return WHOLE_BOOKS.get_or_compute(engine, key, compute)  # type: ignore[return-value]
