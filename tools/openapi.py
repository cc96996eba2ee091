"""Write (or, with ``--check``, compare) the HTTP API's OpenAPI schema as ``docs/openapi.json``,
so clients can be generated from a file in the repository: ``make openapi`` writes it, ``make
test`` fails when the API and the file disagree (``tests/api/test_openapi_file.py``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

FILE = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def schema_text() -> str:
    from api.app import create_app

    # the schema is built from the routes alone; no database is opened for it
    return json.dumps(create_app("sqlite://").openapi(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = schema_text()
    if "--check" in argv:
        if not FILE.exists() or FILE.read_text(encoding="utf-8") != text:
            print(f"{FILE} is not the API's schema: run `make openapi` and commit it.")
            return 1
        return 0
    FILE.parent.mkdir(parents=True, exist_ok=True)
    FILE.write_text(text, encoding="utf-8")
    print(f"{FILE.relative_to(Path.cwd()) if FILE.is_relative_to(Path.cwd()) else FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
