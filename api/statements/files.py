"""What kind of file an upload is, and whether it is safe to open, before anything parses it.

Checked on the raw bytes and the zip directory: the file type (xlsx, not CSV, PDF, old .xls or
an encrypted OLE container), macros, the size, the unpacked size and compression ratio of every
part (zip bombs). Then the statement sheet's real extent is measured from its XML while it
streams (``measure_sheet``), because the reader (calamine) allocates rows x columns for the
sheet it loads: a 2 KB sheet whose one cell is XFD1048576 would ask for hundreds of gigabytes.
The optional ``<dimension>`` element is never trusted; it may be missing or lie.
"""

from __future__ import annotations

import io
import re
import string
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from typing import IO
from xml.etree import ElementTree
from xml.parsers import expat

from api.statements.limits import StatementLimits
from api.statements.problems import StatementProblem, StatementRefused

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def refuse(code: str, detail: str = "") -> StatementRefused:
    return StatementRefused([StatementProblem(code, detail=detail)])


@dataclass(frozen=True)
class Workbook:
    archive: zipfile.ZipFile
    sheets: dict[str, str]  # sheet name -> part name in the zip


def open_workbook(content: bytes, limits: StatementLimits) -> Workbook:
    if len(content) > limits.max_file_bytes:
        raise refuse("file_too_large", f"{limits.max_file_bytes // (1024 * 1024)} MB")
    if content.startswith(OLE_SIGNATURE):
        encrypted = b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in content
        raise refuse("encrypted_workbook" if encrypted else "xls_not_supported")
    if not content.startswith(b"PK"):
        raise refuse("not_xlsx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse("corrupt_workbook") from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise refuse("not_xlsx")
    _check_sizes(archive, limits)
    if "xl/vbaProject.bin" in names or b"macroEnabled" in archive.read("[Content_Types].xml"):
        raise refuse("macro_workbook")
    return Workbook(archive, _sheet_parts(archive))


def _check_sizes(archive: zipfile.ZipFile, limits: StatementLimits) -> None:
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if (
            info.compress_size
            and info.file_size / info.compress_size > limits.max_compression_ratio
        ):
            raise refuse(
                "workbook_too_large",
                f"{info.filename} unpacks {info.file_size // info.compress_size}x",
            )
    if total > limits.max_unpacked_bytes:
        raise refuse("workbook_too_large", f"{total // (1024 * 1024)} MB")


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile):
        raise refuse("corrupt_workbook") from None
    targets = {r.get("Id"): r.get("Target", "") for r in relations.findall("rel:Relationship", NS)}
    parts = {}
    for sheet in workbook.findall("m:sheets/m:sheet", NS):
        target = targets.get(sheet.get(f"{{{NS['r']}}}id"), "")
        target = target.lstrip("/")
        parts[sheet.get("name", "")] = target if target.startswith("xl/") else f"xl/{target}"
    return parts


@dataclass(frozen=True)
class Extent:
    """How large a sheet really is: its last row and column (1-based) and how many cells it has."""

    rows: int
    columns: int
    cells: int
    formulas: bool = True  # False only when the sheet surely holds no formula

    @property
    def area(self) -> int:
        return self.rows * self.columns


#: A cell whose first attribute is its reference, as every spreadsheet program writes it.
STRICT_CELL = re.compile(rb'<c r="([A-Z]{1,3}[1-9][0-9]{0,6})"')
#: Any cell element, also with a namespace prefix or without a reference.
ANY_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
CHUNK = 1024 * 1024
#: A run of this many bytes without a '>' is no sheet: measure it with the XML parser instead.
MAX_CARRY = 8 * 1024 * 1024


def check_extent(workbook: Workbook, sheet: str, limits: StatementLimits) -> Extent:
    """Refuse a sheet that is larger than the cell limit, before any reader allocates it."""
    extent = measure_sheet(workbook, sheet)
    too_large = (
        extent.columns > limits.max_columns or max(extent.area, extent.cells) > limits.max_cells
    )
    if too_large:
        raise refuse(
            "too_many_cells",
            f"{extent.rows:,} x {extent.columns:,}; {limits.max_cells:,} / {limits.max_columns:,}",
        )
    return extent


def measure_sheet(workbook: Workbook, sheet: str) -> Extent:
    part = workbook.sheets.get(sheet)
    if part is None or part not in workbook.archive.namelist():
        raise refuse("corrupt_workbook")
    try:
        with workbook.archive.open(part) as handle:
            extent = _scan_references(handle)
        if extent is None:  # some cell without a leading reference: follow the XML itself
            with workbook.archive.open(part) as handle:
                extent = _scan_xml(handle)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise refuse("corrupt_workbook") from None
    return extent


def _pieces(handle: IO[bytes]) -> Iterator[bytes]:
    """The part in pieces that each end just after a '>': no tag's name or reference is ever
    cut in two. None when a piece would grow past ``MAX_CARRY``."""
    carry = b""
    while chunk := handle.read(CHUNK):
        data = carry + chunk
        cut = data.rfind(b">") + 1
        if cut == 0:
            if len(data) > MAX_CARRY:
                raise _NoTags
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut]
    if carry:
        yield carry


class _NoTags(Exception):
    pass


def _scan_references(handle: IO[bytes]) -> Extent | None:
    """The fast path: when every cell starts with its reference (``<c r="B12"``), the largest
    reference is the extent. None when some cell does not, or the XML declares a DTD.

    A sheet has millions of cells, so each piece is handled by C loops (regex, ``count``,
    ``map``), never a Python step per cell."""
    rows = strict = loose = 0
    formulas = False
    letters: set[bytes] = set()
    try:
        for piece in _pieces(handle):
            if b"<!DOCTYPE" in piece or b"<!ENTITY" in piece:
                raise refuse("corrupt_workbook")
            references = STRICT_CELL.findall(piece)
            strict += len(references)
            loose += _cells_in(piece, len(references))
            formulas = formulas or b"<f" in piece
            if references:
                row_numbers = map(bytes.lstrip, references, repeat(_LETTERS))
                # no leading zeros: the longest, then the largest, is the largest number
                rows = max(rows, int(max(map(bytes.rjust, row_numbers, repeat(7)))))
                letters.update(map(bytes.rstrip, references, repeat(_DIGITS)))
    except _NoTags:
        return None
    if strict != loose:
        return None
    columns = max((_column_number(c.decode()) for c in letters), default=0)
    return Extent(rows, columns, loose, formulas)


_LETTERS, _DIGITS = string.ascii_uppercase.encode(), string.digits.encode()


def _cells_in(piece: bytes, referenced: int) -> int:
    """How many cell elements the piece holds. When every tag that starts with ``<c`` is a
    cell with its reference (and no tag has a namespace prefix), that is ``referenced``;
    otherwise the elements are counted one by one."""
    if piece.count(b"<c") == referenced and b":c" not in piece:
        return referenced
    return len(ANY_CELL.findall(piece))


_REFERENCE = re.compile(r"([A-Za-z]{1,10})([0-9]{1,12})", re.ASCII)


def _scan_xml(handle: IO[bytes]) -> Extent:
    """The exact path, for sheets written unusually: an XML parser (expat; no DTD, no entities)
    follows rows and cells as the reader does, by local name in any namespace. A cell without a
    reference sits after the previous one; where readers could differ, the larger is taken."""
    state = {"row": 0, "column": 0, "in_row": 0, "rows": 0, "columns": 0, "cells": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition("}")[2]
        if local == "row":
            number = attributes.get("r", "")
            state["row"] = int(number) if number.isdigit() else state["row"] + 1
            state["column"] = state["in_row"] = 0
        elif local == "c":
            found = _REFERENCE.fullmatch(attributes.get("r", ""))
            state["in_row"] += 1
            if found:
                column, row = _column_number(found.group(1).upper()), int(found.group(2))
            else:
                column, row = max(state["column"] + 1, state["in_row"]), max(state["row"], 1)
            state["column"] = column
            state["rows"] = max(state["rows"], row)
            state["columns"] = max(state["columns"], column)
            state["cells"] += 1

    def no_dtd(*_: object) -> None:
        raise refuse("corrupt_workbook")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    try:
        while chunk := handle.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise refuse("corrupt_workbook") from None
    return Extent(state["rows"], state["columns"], state["cells"], formulas=True)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)


def formulas_without_value(workbook: Workbook, sheet: str) -> set[tuple[str, int]]:
    """Cells (column letters, row) that hold a formula but no cached value."""
    part = workbook.sheets.get(sheet)
    if part is None:
        return set()
    xml = workbook.archive.read(part)
    if b"<f" not in xml:
        return set()
    return {(m.group(1).decode(), int(m.group(2))) for m in FORMULA_WITHOUT_VALUE.finditer(xml)}
