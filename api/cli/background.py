"""Work for a second thread while the command waits on something that releases the GIL."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress


@contextmanager
def imported_meanwhile(module: str) -> Iterator[None]:
    """Import ``module`` on a second thread while the block runs, and wait for it at the end.
    Worth it around work that releases the GIL (python-calamine's parse, zlib): the import
    then costs the command no time of its own. Should the import fail, nothing is lost: the
    command's own import of the module afterwards raises the error where it is handled."""
    thread = threading.Thread(target=_import, args=(module,), name=f"import {module}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


def _import(module: str) -> None:
    with suppress(Exception):  # the command's own import raises it again, where it is handled
        importlib.import_module(module)
