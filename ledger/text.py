"""What text the ledger takes: one rule for every text that enters, one grammar for identifiers,
and one length limit per kind of text.

**The text rule.** No control, format, private-use or surrogate character (Unicode categories
Cc, Cf, Co, Cs) and no line or paragraph separator (Zl, Zp) is ever stored: a NUL breaks
PostgreSQL, an escape or U+009B (CSI) drives a terminal, a bidirectional override or an Arabic
letter mark (U+061C) makes text read differently from what it is, a byte-order mark (U+FEFF) or
a tag character hides content. Free text (a reason, a memo, a description) may hold tabs and
line breaks; names and codes may not.

**The identifier grammar.** Beschikkingsnummers, deal, tranche, reservation, envelope and
organisation codes, user names and Idempotency-Keys: an ASCII letter or digit, then letters,
digits, ``.``, ``_`` or ``-``, 64 characters at most (``RD-2025-001``, ``GM0193``). They end up in
account codes, URLs, file names and CSV cells, so nothing else is allowed in them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import groupby

from ledger.errors import Problem
from ledger.said import said

IDENTIFIER_LENGTH = 64
#: Names of things (an organisation, a deal, a tranche) and programme lines.
NAME_LENGTH = 300
PROGRAMME_LINE_LENGTH = 100
#: Free text: reasons, memos, descriptions, toelichtingen, source documents.
TEXT_LENGTH = 2000

IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN, re.ASCII)

#: Unicode categories that never enter: control, format, private use, surrogate, and the
#: line and paragraph separators.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})
#: Allowed in free text although they are controls.
FREE_TEXT_CONTROLS = frozenset("\t\n\r")
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


#: What the text rule refuses in ASCII free text: the controls other than tab and line breaks.
_ASCII_FORBIDDEN_IN_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def ascii_free_text_allowed(value: str) -> bool:
    """Whether ``value`` is ASCII that the text rule takes as free text: one search, so that
    a whole column of a statement, joined, is checked at once."""
    return value.isascii() and _ASCII_FORBIDDEN_IN_FREE_TEXT.search(value) is None


#: A whole number as the doors take it: ASCII digits, no sign, no leading zero, no decimals.
_PLAIN_INTEGER = re.compile(r"0|[1-9][0-9]*", re.ASCII)


def is_plain_integer(value: str) -> bool:
    """``2025`` and ``0``, never ``02025``, ``+2025``, ``2025.0``, ``2 025`` or ``２０２５``."""
    return _PLAIN_INTEGER.fullmatch(value) is not None


def is_identifier(value: object) -> bool:
    return isinstance(value, str) and _IDENTIFIER.fullmatch(value) is not None


def forbidden_character(value: str, *, free_text: bool = False) -> str | None:
    """The first character of ``value`` that the text rule refuses, or None."""
    allowed = FREE_TEXT_CONTROLS if free_text else frozenset()
    if value.isascii():  # the common case, without a look at every character's category
        found = next(
            (m.group() for m in _ASCII_CONTROL.finditer(value) if m.group() not in allowed), None
        )
        return found
    for character in value:
        if character not in allowed and unicodedata.category(character) in FORBIDDEN_CATEGORIES:
            return character
    return None


def describe(character: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: how a refused character is named to the user."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" ({name})" if name else "")


def check_identifier(field: str, value: object) -> list[Problem]:
    if is_identifier(value):
        return []
    shown = value if isinstance(value, str) and len(value) <= 80 else f"{str(value)[:80]}…"
    return [
        Problem.of(
            "invalid_identifier",
            said(
                "{field} {shown!r} is not a valid code: use letters, digits, '.', '_' or '-', starting with a letter or digit, at most {IDENTIFIER_LENGTH} characters (e.g. RD-2025-001).",
                field=field,
                shown=shown,
                IDENTIFIER_LENGTH=IDENTIFIER_LENGTH,
            ),
            details={"field": field},
        )
    ]


def check_text(
    field: str, value: str, *, limit: int = TEXT_LENGTH, free_text: bool = True
) -> list[Problem]:
    """The text rule and the length limit for one text; every problem at once."""
    problems = []
    if len(value) > limit:
        problems.append(
            Problem.of(
                "text_too_long",
                said(
                    "{field} is {length} characters long; at most {limit} are allowed.",
                    field=field,
                    length=len(value),
                    limit=limit,
                ),
                details={"field": field, "limit": limit},
            )
        )
    if (found := forbidden_character(value, free_text=free_text)) is not None:
        problems.append(
            Problem.of(
                "invalid_text",
                said(
                    "{field} contains the invisible or control character {describe}; remove it.",
                    field=field,
                    describe=describe(found),
                ),
                details={"field": field, "character": f"U+{ord(found):04X}"},
            )
        )
    return problems


@lru_cache(maxsize=2)
def text_pattern(free_text: bool = True) -> str:
    """The text rule as a regular expression, as the OpenAPI schema states it: any number of
    characters, none of them refused. Built from this Python's Unicode database once, when the
    schema is made. Written so that every reader of the schema reads it alike (Python's ``re``,
    ECMA-262, Rust's regex): characters of the basic plane as ``\\uXXXX``, the others as
    themselves; surrogates are left out (a decoded JSON string cannot hold one)."""
    allowed = {ord(c) for c in FREE_TEXT_CONTROLS} if free_text else set()
    allowed |= set(range(0xD800, 0xE000))
    ranges: list[tuple[int, int]] = []
    for low, high in _refused_runs():
        start = low
        for code in sorted(a for a in allowed if low <= a <= high):
            if start < code:
                ranges.append((start, code - 1))
            start = code + 1
        if start <= high:
            ranges.append((start, high))
    return "^[^" + "".join(_range(low, high) for low, high in ranges) + "]*$"


@lru_cache(maxsize=1)
def _refused_runs() -> tuple[tuple[int, int], ...]:
    """Every run of code points of a refused category (the categories of all code points are
    read in one pass; runs of one category are taken whole)."""
    runs: list[tuple[int, int]] = []
    code = 0
    for category, run in groupby(map(unicodedata.category, map(chr, range(0x110000)))):
        length = len(list(run))
        if category in FORBIDDEN_CATEGORIES:
            if runs and runs[-1][1] == code - 1:
                runs[-1] = (runs[-1][0], code + length - 1)
            else:
                runs.append((code, code + length - 1))
        code += length
    return tuple(runs)


def _range(low: int, high: int) -> str:
    def written(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)

    return written(low) if low == high else f"{written(low)}-{written(high)}"
