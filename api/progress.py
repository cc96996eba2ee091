"""Progress bars for long command-line work (demo load, statement import, SiSa export per
recipient, make bench): drawn on stderr when it is a terminal, silent when piped or captured,
so scripts and logs see only the results."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Advance = Callable[..., None]


@contextmanager
def progress(
    description: str, total: int | None, stream: TextIO | None = None
) -> Iterator[Advance]:
    """``advance(n=1, note=None)`` moves the bar on (and may change what it says)."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield lambda steps=1, note=None: None
        return
    from rich.console import Console  # rich only when there is a terminal to draw on
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *columns, console=Console(file=stream, force_terminal=True), transient=True
    ) as bar:
        task = bar.add_task(description, total=total)

        def advance(steps: int = 1, note: str | None = None) -> None:
            bar.update(task, advance=steps, description=note or description)

        yield advance
