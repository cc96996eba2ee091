"""What kind of file an upload is, and whether it is safe to open, before anything parses it.

Checked on the raw bytes and the zip directory only: the file type (xlsx, not CSV, PDF, old
.xls or an encrypted OLE container), macros, the size, the unpacked size and compression
ratio of every part (zip bombs), and the statement sheet's declared dimension (a million-row
sheet is refused without being loaded).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from api.statements.limits import StatementLimits
from api.statements.problems import StatementProblem, StatementRefused

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')


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


def check_dimension(workbook: Workbook, sheet: str, limits: StatementLimits) -> None:
    """Refuse a sheet whose declared size is over the cell limit, reading only its first bytes."""
    part = workbook.sheets.get(sheet)
    if part is None:
        return
    with workbook.archive.open(part) as handle:
        head = handle.read(4096)
    found = DIMENSION.search(head)
    if found:
        rows = int(found.group(2))
        columns = _column_number(found.group(1).decode())
        if rows * columns > limits.max_cells:
            raise refuse("too_many_cells", f"{rows:,} x {columns} > {limits.max_cells:,}")


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
