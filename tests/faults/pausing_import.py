"""Run ``regioledger`` so that it stops at a named point and says so: the crash tests kill it
there, so that where a kill lands never depends on the machine's speed.

    python -m tests.faults.pausing_import MARKER STAGE regioledger-arguments...

STAGE ``reading``: while the statement is read (before any transaction); ``booking``: inside the
write transaction, after the entries, postings and statement lines are written and before the
commit. At the stage the process writes MARKER and waits to be killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def pause_at(marker: Path, original):  # noqa: ANN001, ANN201 - wraps any function
    def paused(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        result = original(*args, **kwargs)
        marker.write_text("here")
        while True:  # until killed
            time.sleep(1)
        return result

    return paused


def main() -> None:
    marker, stage, *arguments = sys.argv[1:]
    import api.statements.reader as reader
    import api.statements.service as service
    import ledger.regio.db.statements as statements

    if stage == "reading":  # the command line reads ahead (reader), the service in place
        paused = pause_at(Path(marker), reader.read_statement)
        reader.read_statement = service.read_statement = paused
    elif stage == "booking":
        statements._insert_lines = pause_at(Path(marker), statements._insert_lines)
    else:
        raise SystemExit(f"unknown stage {stage!r}")
    from api.cli.main import main as cli

    sys.argv = ["regioledger", *arguments]
    cli()


if __name__ == "__main__":
    main()
