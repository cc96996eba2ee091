"""Threads started together, timed until the last ends; standard library only, so that a peer's
script in an environment of its own (``peer_hordak.py``) uses it too."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def in_threads(count: int, work: Callable[[int], None]) -> float:
    """Seconds for ``count`` threads to each run ``work(their number)``, started together."""
    start = threading.Barrier(count + 1)

    def run(number: int) -> None:
        start.wait()
        work(number)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began
