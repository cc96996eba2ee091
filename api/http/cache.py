"""Answers derived from a snapshot (the reconciliation, its workbook, the charts), kept under
the ledger's version: every table they read is append-only, so the row counts of those tables
(``ledger_version``) change with every write that could change the answer. A write makes the
next request compute afresh; reads in between cost one small query."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from sqlalchemy import Engine

from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.snapshot import ledger_version


class DerivedAnswers:
    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, object] = OrderedDict()
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
        answer = compute()
        with self._lock:
            self._answers[full_key] = answer
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
        return answer
