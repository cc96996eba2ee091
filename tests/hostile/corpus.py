"""One corpus of hostile files and requests, run against the command line and the API."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date

from tests.statements.builders import (
    CSV,
    ENCRYPTED,
    GOOD_ROWS,
    OLD_XLS,
    PDF,
    macro_workbook,
    million_row_sheet,
    openpyxl_workbook,
    zip_bomb,
    zip_with,
)

NUMMER = "RD-2024-001"


def _with_shared_strings(xml: bytes) -> bytes:
    """A real workbook whose shared strings part is replaced by ``xml``."""
    good = zipfile.ZipFile(
        io.BytesIO(
            openpyxl_workbook(
                [[NUMMER, date(2025, 3, 1), "Factuur", "Rijk", 10.0, None, "A", "F1"]]
            )
        )
    )
    parts = {name: good.read(name) for name in good.namelist()}
    parts["xl/sharedStrings.xml"] = xml
    return zip_with(parts)


def entity_bomb() -> bytes:
    """ "Billion laughs": nested XML entities that expand to gigabytes if a parser lets them."""
    entities = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (n, b"&a%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    return _with_shared_strings(b'<?xml version="1.0"?><!DOCTYPE sst [' + entities + b']>'
                                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a9;</t></si></sst>')  # fmt: skip


def external_entity() -> bytes:
    """XXE: an entity that would read a file of the server."""
    return _with_shared_strings(b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&x;</t></si></sst>')  # fmt: skip


def row(**changes: object) -> list[list[object]]:
    values = {"nummer": NUMMER, "date": date(2025, 3, 1), "description": "Factuur", "source": "Rijk",
              "amount": 10.0, "partner": None, "line": "A", "reference": "F1"} | changes  # fmt: skip
    return [list(values.values())]


#: name -> (file, what the refusal must be about: a problem code)
FILES: dict[str, tuple[Callable[[], bytes], str]] = {
    "a CSV file": (lambda: CSV, "not_xlsx"),
    "a PDF renamed to .xlsx": (lambda: PDF, "not_xlsx"),
    "an old .xls": (lambda: OLD_XLS, "xls_not_supported"),
    "a password-protected workbook": (lambda: ENCRYPTED, "encrypted_workbook"),
    "a macro workbook": (macro_workbook, "macro_workbook"),
    "a truncated workbook": (lambda: openpyxl_workbook(GOOD_ROWS)[:900], "corrupt_workbook"),
    "random bytes": (lambda: bytes(range(256)) * 64, "not_xlsx"),
    "a zip bomb": (zip_bomb, "workbook_too_large"),
    "an XML entity bomb": (entity_bomb, "corrupt_workbook"),
    "an external XML entity": (external_entity, "corrupt_workbook"),
    "a million-row sheet": (million_row_sheet, "too_many_cells"),
    "a formula where a description belongs": (
        lambda: openpyxl_workbook(row(description='=HYPERLINK("http://x.invalid","klik")')),
        "formula_without_value",
    ),
    "odd Unicode in the number": (
        lambda: openpyxl_workbook(row(nummer="RD-2024-001\u202e\u200b")),
        "wrong_beschikking",
    ),
    "an overlong description": (
        lambda: openpyxl_workbook(row(description="x" * 100_000)),
        "text_too_long",
    ),
    "a date that does not exist": (
        lambda: openpyxl_workbook(row(date="31-02-2025")),
        "invalid_date",
    ),
    "a date far outside the period": (
        lambda: openpyxl_workbook(row(date=date(1900, 1, 1))),
        "outside_spending_period",
    ),
    "a negative amount": (lambda: openpyxl_workbook(row(amount=-10.0)), "negative_total"),
    "an absurd amount": (lambda: openpyxl_workbook(row(amount=1e300)), "amount_out_of_range"),
    "SQL in the source": (
        lambda: openpyxl_workbook(row(source="Rijk'; DROP TABLE posting; --")),
        "unknown_source",
    ),
    "an empty file": (lambda: b"", "not_xlsx"),
}

#: Requests to the API: (method, path, JSON body) that must each get a 4xx and book nothing.
REQUESTS: dict[str, tuple[str, str, dict[str, object]]] = {
    "a negative payment": (
        "post",
        f"/api/v1/beschikkingen/{NUMMER}/payments",
        {"amount": "-5.00", "paid_on": "2025-01-10", "reason": "x"},
    ),
    "an absurd payment": (
        "post",
        f"/api/v1/beschikkingen/{NUMMER}/payments",
        {"amount": "99999999999999999999.00", "paid_on": "2025-01-10", "reason": "x"},
    ),
    "a payment of a thousand million billion": (
        "post",
        f"/api/v1/beschikkingen/{NUMMER}/payments",
        {"amount": "9999999999999.99", "paid_on": "2025-01-10", "reason": "x"},
    ),
    "a payment with three decimals": (
        "post",
        f"/api/v1/beschikkingen/{NUMMER}/payments",
        {"amount": "1.005", "paid_on": "2025-01-10", "reason": "x"},
    ),
    "a float for money": (
        "post",
        f"/api/v1/beschikkingen/{NUMMER}/payments",
        {"amount": 1.1, "paid_on": "2025-01-10", "reason": "x"},
    ),
    "a bad date": (
        "post",
        f"/api/v1/beschikkingen/{NUMMER}/payments",
        {"amount": "1.00", "paid_on": "2025-02-31", "reason": "x"},
    ),
    "an overlong reason": (
        "post",
        f"/api/v1/beschikkingen/{NUMMER}/payments",
        {"amount": "1.00", "paid_on": "2025-01-10", "reason": "x" * 100_000},
    ),
    "SQL in a path": (
        "post",
        "/api/v1/beschikkingen/RD'%20OR%201=1--/payments",
        {"amount": "1.00", "paid_on": "2025-01-10", "reason": "x"},
    ),
    "SQL in a code": (
        "post",
        "/api/v1/organisations",
        {"code": "x'); DROP TABLE journal_entry;--", "name": "x", "type": "bobby"},
    ),
    "a path in a code": (
        "post",
        "/api/v1/tranches",
        {"code": "../../etc/passwd", "envelope": "NOPE", "name": "x"},
    ),
    "NUL in a reason": (
        "post",
        f"/api/v1/beschikkingen/{NUMMER}/payments",
        {"amount": "1.00", "paid_on": "2025-01-10", "reason": "a\u0000b"},
    ),
    "a right-to-left override in a name": (
        "post",
        "/api/v1/organisations",
        {"code": "GM-X\u202e", "name": "x", "type": "gemeente"},
    ),
    "a deeply nested body": (
        "post",
        "/api/v1/deals",
        {"code": "D", "pledges": [[[[[[[[[[[]]]]]]]]]]]},
    ),
    "not JSON at all": ("post", f"/api/v1/beschikkingen/{NUMMER}/payments", "{'amount': 1"),  # type: ignore[dict-item]
}

#: Upload file names that try to be paths: stored as names only, never used as paths.
FILENAMES = [
    "../../../etc/passwd",
    "..\\..\\windows\\system32\\config",
    "/dev/zero",
    "opgave\u0000.xlsx",
    "x" * 5000 + ".xlsx",
]
