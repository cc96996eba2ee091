"""Reading single cells the way regions fill them in: header names, Dutch amounts, dates.

The one place where a float from a spreadsheet becomes money: ``amount_from_cell`` takes the
float's shortest decimal representation and refuses it if it has more than two decimals.
"""

from __future__ import annotations

import math
import operator
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import repeat

from ledger.dates import EARLIEST, LATEST, in_range
from ledger.regio.model import FundingSource
from ledger.text import ascii_free_text_allowed, forbidden_character

CANONICAL_COLUMNS = (
    "beschikkingsnummer",
    "datum",
    "omschrijving",
    "financieringsbron",
    "bedrag",
    "partner",
    "programmalijn",
    "project",
    "referentie",
    "toelichting",
)
REQUIRED_COLUMNS = CANONICAL_COLUMNS[:5]
DISPLAY_NAMES = {c: c.capitalize() for c in CANONICAL_COLUMNS}
#: The Financieringsbron as a region writes it (lower-cased), and the source it names.
SOURCES = {
    "rijk": FundingSource.RIJK,
    "cofinanciering publiek": FundingSource.COFINANCIERING_PUBLIEK,
    "cofinanciering privaat": FundingSource.COFINANCIERING_PRIVAAT,
    "in natura": FundingSource.IN_NATURA,
}

_UNIT = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*$")
# Digits are ASCII digits: Python's \d would read "١٢" or "１２" as 12.
_DUTCH_THOUSANDS = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$")
_DUTCH = re.compile(r"^-?[0-9]+(,[0-9]+)?$")
_PLAIN = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_DATE_FORMS = (
    (re.compile(r"^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})$"), ("d", "m", "y")),
    (re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$"), ("y", "m", "d")),
)
EXCEL_EPOCH = date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read; ``code`` is the problem's stable code."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def header_name(value: object) -> str:
    """'Bedrag (€) *' -> 'bedrag'."""
    text = str(value or "").strip().lower()
    text = text.rstrip("*").strip()
    text = _UNIT.sub("", text).rstrip("*").strip()
    return text


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_from_cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


#: No line of a statement comes near a trillion euros; beyond it a number is a mistake (or an
#: attack: 1e300, infinity), and refused before any arithmetic on it.
LARGEST_AMOUNT = Decimal("1000000000000.00")


def amount_from_cell(value: object) -> int:
    """Euro cents from a number or a text amount; raises CellError."""
    if isinstance(value, bool):
        raise CellError("invalid_amount")
    exact = (
        Decimal(value)
        if isinstance(value, int)
        else Decimal(repr(value))
        if isinstance(value, float)
        else _amount_from_text(str(value))
    )
    if not exact.is_finite():
        raise CellError("invalid_amount")
    if abs(exact) > LARGEST_AMOUNT:
        raise CellError("amount_out_of_range")
    if exact != exact.quantize(Decimal("0.01")):
        raise CellError("too_many_decimals")
    return int(exact * 100)


def _amount_from_text(text: str) -> Decimal:
    cleaned = (
        text.replace("€", "").replace("EUR", "").replace("\u00a0", "").replace(" ", "").strip()
    )
    if _DUTCH_THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _DUTCH.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    elif not _PLAIN.match(cleaned):
        raise CellError("invalid_amount")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise CellError("invalid_amount") from None


def date_from_cell(value: object) -> date:
    """A date from an Excel date, a serial number or text; from 1900 to 2200 (``ledger.dates``)."""
    day = _date(value)
    if not in_range(day):
        raise CellError("invalid_date")
    return day


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 2_958_465:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError("invalid_date")
    text = str(value).strip()
    for pattern, order in _DATE_FORMS:
        found = pattern.match(text)
        if found:
            parts = dict(zip(order, map(int, found.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise CellError("invalid_date") from None
    raise CellError("invalid_date")


def plain_text_from_cell(value: object) -> str:
    """A text cell under the one text rule: no control, format or private-use character
    (line breaks and tabs are allowed, as Alt+Enter makes them)."""
    text = text_from_cell(value)
    if forbidden_character(text, free_text=True) is not None:
        raise CellError("invalid_text")
    return text


def source_from_cell(value: object) -> str:
    key = " ".join(str(value).strip().lower().split())
    if key not in SOURCES:
        raise CellError("unknown_source")
    return SOURCES[key]


# --- the quick path ------------------------------------------------------------------------
# A statement has up to 100,000 lines. The usual cell (a text in ASCII, an Excel date, a
# float with cents, a funding source spelled as the template spells it) is read by a quick
# function that answers only when its answer is exactly the careful one above, and otherwise
# returns CAREFUL: then the careful function reads the cell and says what is wrong with it.

CAREFUL = object()
#: The funding sources as the template's drop-down writes them, and in lower case.
_SOURCE_SPELLINGS = {**SOURCES, **{key.capitalize(): value for key, value in SOURCES.items()}}
#: Cents of the largest amount: beyond it the careful path refuses the cell.
_LARGEST = float(LARGEST_AMOUNT)


def quick_text(value: object, longest: int) -> object:
    """A text cell of a column whose ASCII cells all passed the text rule (checked joined,
    see ``ledger.text.ascii_free_text_allowed``)."""
    if value is None:
        return None
    if type(value) is str and value.isascii():
        text = value.strip()
        return (text or None) if len(text) <= longest else CAREFUL
    return CAREFUL


def quick_date(value: object, _longest: int) -> object:
    if type(value) is date and EARLIEST <= value <= LATEST:
        return value
    return None if value is None else CAREFUL


def quick_amount(value: object, _longest: int) -> object:
    """A float whose shortest decimal form has at most two decimals: exactly then is
    ``cents / 100`` the same float (the careful path takes that decimal form)."""
    if type(value) is float and -_LARGEST <= value <= _LARGEST:
        cents = round(value * 100)
        if cents / 100 == value:
            return cents
    return None if value is None else CAREFUL


def quick_source(value: object, _longest: int) -> object:
    if value is None:
        return None
    return _SOURCE_SPELLINGS.get(value, CAREFUL) if type(value) is str else CAREFUL


# Whole columns at once, when every cell is of the usual kind: the same answers as the quick
# functions above, in C loops (``map``, ``min``, ``set``); None when some cell is not.


def text_column(values: list[object], longest: int) -> list[object] | None:
    """Every cell empty or ASCII text that the text rule takes, none longer than ``longest``."""
    texts = ["" if value is None else value for value in values]
    if set(map(type, texts)) - {str} or not ascii_free_text_allowed("".join(texts)):  # type: ignore[arg-type]
        return None
    stripped = list(map(str.strip, texts))  # type: ignore[arg-type]
    if max(map(len, stripped), default=0) > longest:
        return None
    return [text or None for text in stripped]


def date_column(values: list[object], _longest: int) -> list[object] | None:
    if set(map(type, values)) != {date} or min(values) < EARLIEST or max(values) > LATEST:  # type: ignore[type-var]
        return None
    return values


def amount_column(values: list[object], _longest: int) -> list[object] | None:
    if set(map(type, values)) != {float} or not all(map(math.isfinite, values)):  # type: ignore[arg-type]
        return None  # (a NaN would pass any comparison below)
    if min(values) < -_LARGEST or max(values) > _LARGEST:  # type: ignore[type-var]
        return None
    cents = list(map(round, map(float.__mul__, values, repeat(100.0))))
    if not all(map(operator.eq, map(int.__truediv__, cents, repeat(100)), values)):
        return None
    return cents


def source_column(values: list[object], _longest: int) -> list[object] | None:
    if not set(values) <= _SOURCE_SPELLINGS.keys():
        return None
    return list(map(_SOURCE_SPELLINGS.__getitem__, values))  # type: ignore[arg-type]
