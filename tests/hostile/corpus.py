"""One corpus of hostile files and requests, run against the command line and the API."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
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
    return _with_shared_strings(
        b'<?xml version="1.0"?><!DOCTYPE sst [' + entities + b"]>"
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a9;</t></si></sst>'
    )


def external_entity() -> bytes:
    """XXE: an entity that would read a file of the server."""
    return _with_shared_strings(
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&x;</t></si></sst>'
    )


def _with_sheet(edit: Callable[[str], str]) -> bytes:
    """A real workbook (one good line) whose statement sheet XML is changed by ``edit``."""
    good = zipfile.ZipFile(io.BytesIO(openpyxl_workbook(row())))
    parts = {name: good.read(name) for name in good.namelist()}
    parts["xl/worksheets/sheet1.xml"] = edit(parts["xl/worksheets/sheet1.xml"].decode()).encode()
    return zip_with(parts)


def sparse_sheet(last_cell: str, dimension: str | None) -> bytes:
    """A 2 KB workbook whose one extra cell sits at ``last_cell``; its ``<dimension>`` is left
    out (None) or says ``dimension``. A reader that trusts the dimension, or allocates rows x
    columns up to the last cell, asks for gigabytes."""
    row_number = "".join(c for c in last_cell if c.isdigit())
    extra = f'<row r="{row_number}"><c r="{last_cell}"><v>1</v></c></row>'

    def edit(xml: str) -> str:
        xml = re.sub(
            r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>' if dimension else "", xml
        )
        return xml.replace("</sheetData>", extra + "</sheetData>")

    return _with_sheet(edit)


def cells_without_references(count: int) -> bytes:
    """One row of ``count`` cells that name no reference: each sits after the one before."""
    cells = "".join(f"<c><v>{n * 7919 % 100_003}</v></c>" for n in range(count))  # not a zip bomb
    return _with_sheet(
        lambda xml: xml.replace("</sheetData>", f'<row r="3">{cells}</row></sheetData>')
    )


def row(**changes: object) -> list[list[object]]:
    values = {
        "nummer": NUMMER,
        "date": date(2025, 3, 1),
        "description": "Factuur",
        "source": "Rijk",
        "amount": 10.0,
        "partner": None,
        "line": "A",
        "reference": "F1",
    } | changes
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
        "invalid_text",
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
    # A sheet's real size is measured from its cells, never from its <dimension>.
    "one cell at XFD1048576, no dimension": (
        lambda: sparse_sheet("XFD1048576", None),
        "too_many_cells",
    ),
    "one cell at XFD1048576, a dimension that lies": (
        lambda: sparse_sheet("XFD1048576", "A1:H2"),
        "too_many_cells",
    ),
    "a wide sheet (XFD150)": (lambda: sparse_sheet("XFD150", "A1:H2"), "too_many_cells"),
    "a tall sheet (J1048576)": (lambda: sparse_sheet("J1048576", None), "too_many_cells"),
    "2,000 cells that name no reference": (
        lambda: cells_without_references(2_000),
        "too_many_cells",
    ),
    "a DTD in the sheet": (
        lambda: _with_sheet(lambda xml: '<!DOCTYPE x [<!ENTITY a "b">]>' + xml),
        "corrupt_workbook",
    ),
    # Digits are ASCII digits; dates fall from 1900 to 2200; text follows the one text rule.
    "full-width digits as an amount": (
        lambda: openpyxl_workbook(row(amount="１２")),
        "invalid_amount",
    ),
    "Arabic-Indic digits as an amount": (
        lambda: openpyxl_workbook(row(amount="٣")),
        "invalid_amount",
    ),
    "mathematical digits as an amount": (
        lambda: openpyxl_workbook(row(amount="𝟏𝟐")),
        "invalid_amount",
    ),
    "full-width digits in a date": (
        lambda: openpyxl_workbook(row(date="０１-０３-２０２５")),
        "invalid_date",
    ),
    "a date in the year 9999": (lambda: openpyxl_workbook(row(date="01-03-9999")), "invalid_date"),
    "a right-to-left override in a description": (
        lambda: openpyxl_workbook(row(description="Factuur\u202e321")),
        "invalid_text",
    ),
    "a C1 control (CSI) in a description": (
        lambda: openpyxl_workbook(row(description="Factuur\u009b31m")),
        "invalid_text",
    ),
    "a byte-order mark in a reference": (
        lambda: openpyxl_workbook(row(reference="\ufeffF1")),
        "invalid_text",
    ),
    "a tag character in a programme line": (
        lambda: openpyxl_workbook(row(line="A\U000e0041")),
        "invalid_text",
    ),
}


@dataclass(frozen=True)
class Hostile:
    """A request to the API that must get ``status`` (a problem with a stable code) and book
    nothing. ``body`` is sent as JSON; ``content`` as it is."""

    method: str
    path: str
    body: object = None
    status: int = 422
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    role: str = "finance"


PAY = f"/api/v1/beschikkingen/{NUMMER}/payments"


def payment(**changes: object) -> dict[str, object]:
    return {"amount": "1.00", "paid_on": "2025-01-10", "reason": "x"} | changes


def organisation(**changes: object) -> dict[str, object]:
    return {"code": "GM-X", "name": "Gemeente X", "type": "gemeente"} | changes


def deal(**changes: object) -> dict[str, object]:
    return {
        "code": "D-X",
        "name": "Deal X",
        "tranche": "T6",
        "rijksbijdrage": "1000.00",
        "signed_on": "2024-07-01",
        "ends_on": "2029-12-31",
        "reason": "x",
    } | changes


REQUESTS: dict[str, Hostile] = {
    "a negative payment": Hostile("post", PAY, payment(amount="-5.00")),
    "a payment of zero": Hostile("post", PAY, payment(amount="0.00")),
    "an absurd payment": Hostile("post", PAY, payment(amount="99999999999999999999.00")),
    "a payment of a thousand million billion": Hostile(
        "post", PAY, payment(amount="9999999999999.99"), 409
    ),
    "a payment with three decimals": Hostile("post", PAY, payment(amount="1.005")),
    "a float for money": Hostile("post", PAY, payment(amount=1.1)),
    "full-width digits for money": Hostile("post", PAY, payment(amount="１２")),
    "Arabic-Indic digits for money": Hostile("post", PAY, payment(amount="٣")),
    "mathematical digits for money": Hostile("post", PAY, payment(amount="𝟏𝟐")),
    "a bad date": Hostile("post", PAY, payment(paid_on="2025-02-31")),
    "a number for a date": Hostile("post", PAY, payment(paid_on=0)),
    "a date and time for a date": Hostile("post", PAY, payment(paid_on="2025-01-10T00:00:00")),
    "full-width digits in a date": Hostile("post", PAY, payment(paid_on="２０２５-01-10")),
    "the year 1": Hostile("post", PAY, payment(paid_on="0001-01-01")),
    "the year 2201": Hostile("post", PAY, payment(paid_on="2201-01-01")),
    "a report as of 0": Hostile("get", "/api/v1/reports/tranches?as_of=0"),
    "a journal to 0": Hostile("get", "/api/v1/journal/entries?effective_to=0"),
    "full-width digits in a year": Hostile(
        "get", "/api/v1/sisa/%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%95"
    ),
    "an overlong reason": Hostile("post", PAY, payment(reason="x" * 100_000)),
    "SQL in a path": Hostile("post", "/api/v1/beschikkingen/RD'%20OR%201=1--/payments", payment()),
    "SQL in a code": Hostile(
        "post", "/api/v1/organisations", organisation(code="x'); DROP TABLE journal_entry;--")
    ),
    "a path in a code": Hostile(
        "post", "/api/v1/tranches", {"code": "../../etc/passwd", "envelope": "NOPE", "name": "x"}
    ),
    "slashes in a nummer": Hostile(
        "post", "/api/v1/organisations", organisation(code="RD/2025/001")
    ),
    "a carriage return in a code": Hostile(
        "post", "/api/v1/organisations", organisation(code="GM-X\r")
    ),
    "a code of 65 characters": Hostile(
        "post", "/api/v1/organisations", organisation(code="G" * 65)
    ),
    "an Idempotency-Key of 200 characters": Hostile(
        "post", PAY, payment(), headers={"Idempotency-Key": "k" * 200}
    ),
    "an Idempotency-Key with a space": Hostile(
        "post", PAY, payment(), headers={"Idempotency-Key": "my key"}
    ),
    "a programme line of 150 characters": Hostile(
        "post", "/api/v1/deals", deal(programme_lines=["p" * 150])
    ),
    "a name of 301 characters": Hostile(
        "post", "/api/v1/organisations", organisation(name="n" * 301)
    ),
    "NUL in a reason": Hostile("post", PAY, payment(reason="a\u0000b")),
    "a C1 control (CSI) in a reason": Hostile("post", PAY, payment(reason="rood\u009b31m")),
    "an Arabic letter mark in a name": Hostile(
        "post", "/api/v1/organisations", organisation(name="Gemeente\u061cX")
    ),
    "a line separator in a name": Hostile(
        "post", "/api/v1/organisations", organisation(name="Gemeente\u2028X")
    ),
    "a byte-order mark in a reason": Hostile("post", PAY, payment(reason="\ufeffvoorschot")),
    "a tag character in a reason": Hostile("post", PAY, payment(reason="voorschot\U000e0041")),
    "a private-use character in a name": Hostile(
        "post", "/api/v1/organisations", organisation(name="Gemeente\ue000")
    ),
    "a right-to-left override in a name": Hostile(
        "post", "/api/v1/organisations", organisation(code="GM-X\u202e")
    ),
    "an unknown field": Hostile("post", PAY, payment(amout="1.00")),
    "a deeply nested body": Hostile(
        "post",
        "/api/v1/deals",
        status=400,
        content=b'{"code": "D", "pledges": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        headers={"Content-Type": "application/json"},
    ),
    "not JSON at all": Hostile(
        "post",
        PAY,
        status=400,
        content=b"{'amount': 1",
        headers={"Content-Type": "application/json"},
    ),
    "a JSON body over 1 MiB": Hostile(
        "post",
        PAY,
        status=413,
        content=b'{"reason": "' + b"x" * (1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    ),
    "a JSON body over 1 MiB without a token": Hostile(
        "post",
        PAY,
        status=413,
        role="nobody",
        content=b'{"reason": "' + b"x" * (1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    ),
    "a body of the wrong media type": Hostile(
        "post", PAY, status=415, content=b"amount=1.00", headers={"Content-Type": "text/plain"}
    ),
    "a broken multipart upload": Hostile(
        "post",
        f"/api/v1/beschikkingen/{NUMMER}/statements?year=2025",
        status=400,
        content=b"--x\r\nContent-Disposition: form-data\r\n\r\nab\r\n--x--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
        role="region",
    ),
    "an unknown route": Hostile("get", "/api/v1/nothing-here", status=404),
    "a method the path does not have": Hostile("delete", "/api/v1/beschikkingen", status=405),
    "an organisation that exists with other details": Hostile(
        "post", "/api/v1/organisations", organisation(code="GM-ZWOLLE", name="Een andere naam"), 409
    ),
}

#: Upload file names that try to be paths: stored as names only, never used as paths.
FILENAMES = [
    "../../../etc/passwd",
    "..\\..\\windows\\system32\\config",
    "/dev/zero",
    "opgave\u0000.xlsx",
    "x" * 5000 + ".xlsx",
]
