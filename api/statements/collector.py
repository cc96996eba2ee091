"""Python's cyclic garbage collector, paused while a statement is read, checked and booked.

A 100,000-line statement makes millions of small objects (cells, typed values, lines, rows to
insert) and not one reference cycle; the collector would traverse them all again and again
while they are made (make bench measured a seventh of a whole import). Reference counting
still frees everything as usual; only the search for cycles waits until the statement is
done. Pauses may overlap (the server reads statements on several threads): the collector runs
again when the last one ends, if it was running before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
