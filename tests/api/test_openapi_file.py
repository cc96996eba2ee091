"""The OpenAPI schema in the repository (``docs/openapi.json``) is the API's own: a route, a
field or a description changed without ``make openapi`` fails here."""

import json

from tools.openapi import FILE, schema_text


def test_the_schema_file_is_the_apis_schema():
    assert FILE.exists(), "docs/openapi.json is missing: run `make openapi`"
    written = json.loads(FILE.read_text(encoding="utf-8"))
    assert written == json.loads(schema_text()), "run `make openapi` and commit docs/openapi.json"
    assert "/api/v1/reports/underspending" in written["paths"]
