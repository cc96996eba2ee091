"""The journal in the formats of two independent engines, hledger and beancount, so an auditor
can recompute every balance with software we did not write. Pure: posted entries and the
accounts' kinds in, text out (streamed line by line, so a long journal never sits in memory).

Both carry every entry with its date, its memo, and its sequence number, key, actor, reason
and source as metadata; postings in cents exact (a debit positive, a credit negative);
currencies as commodities. For hledger the metadata are tags, whose value runs to the next
comma: a comma in a value is written as a semicolon (``tag_value``), so each value stays whole
and no part of it (a URL's ``https:``) becomes a tag of its own. For beancount the file names
its title and its operating currency (what Fava asks for). Account codes are account names: as they are for hledger; for
beancount, whose names begin with one of five roots and whose parts begin with a capital or a
digit, each code gets the root of its kind and each part its first letter capitalised and
anything but letters, digits and ``-`` as ``-`` (``beschikking:B:spent:2025:rijk`` becomes
``Liabilities:Beschikking:B:Spent:2025:Rijk``). Two codes that would become one name are
refused rather than merged."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.posted import PostedEntry

FORMATS = ("hledger", "beancount")
#: hledger's account types and beancount's roots, by our kind of account.
HLEDGER_TYPES = {
    "asset": "A",
    "liability": "L",
    "equity": "E",
    "income": "R",
    "expense": "X",
    "budget": "L",
    "budget_source": "E",
    "memorandum": "A",
    "memorandum_contra": "L",
}
BEANCOUNT_ROOTS = {
    "asset": "Assets",
    "liability": "Liabilities",
    "equity": "Equity",
    "income": "Income",
    "expense": "Expenses",
    "budget": "Liabilities",
    "budget_source": "Equity",
    "memorandum": "Assets",
    "memorandum_contra": "Liabilities",
}
OPERATING_CURRENCY = "EUR"  # the Rijk's books are in euros; a BU's dollars are a commodity
OPEN_ON = date(1970, 1, 1)  # beancount opens every account before the first entry


@dataclass(frozen=True)
class AccountInfo:
    code: str
    name: str
    kind: str
    currency: str


def export_lines(
    fmt: str,
    entries: Iterable[PostedEntry],
    accounts: list[AccountInfo],
    as_of: date | None = None,
) -> Iterator[str]:
    """The journal as lines of ``fmt`` (``hledger`` or ``beancount``); with ``as_of``, the
    entries effective on or before that date."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    names = _names(fmt, accounts)
    yield from (_hledger_header if fmt == "hledger" else _beancount_header)(accounts, names, as_of)
    entry_lines = _hledger_entry if fmt == "hledger" else _beancount_entry
    for entry in entries:
        if as_of is None or entry.effective_on <= as_of:
            yield ""
            yield from entry_lines(entry, names)


def cents(minor_units: int) -> str:
    return str((Decimal(minor_units) / 100).quantize(Decimal("0.01")))


def _signed(side: str, minor_units: int) -> str:
    return cents(minor_units if side == "debit" else -minor_units)


def _names(fmt: str, accounts: list[AccountInfo]) -> dict[str, str]:
    if fmt == "hledger":
        return {a.code: a.code for a in accounts}
    names = {a.code: beancount_name(a.code, a.kind) for a in accounts}
    if len(set(names.values())) != len(names):
        seen: dict[str, str] = {}
        for code, name in names.items():
            if name in seen:
                raise ValueError(f"accounts {seen[name]} and {code} would both be {name}")
            seen[name] = code
    return names


def beancount_name(code: str, kind: str) -> str:
    parts = [re.sub(r"[^A-Za-z0-9-]", "-", part) or "X" for part in code.split(":")]
    parts = [p[0].upper() + p[1:] if p[0].isalpha() else p for p in parts]
    return ":".join([BEANCOUNT_ROOTS[kind], *parts])


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def tag_value(text: str | None) -> str:
    """A metadata value as an hledger tag keeps it whole: one line, no comma."""
    return _one_line(text).replace(",", ";")


def _hledger_header(accounts: list[AccountInfo], names: dict[str, str], as_of: date | None):
    yield "; regioledger journal, for hledger" + (f", as of {as_of.isoformat()}" if as_of else "")
    yield "decimal-mark ."
    for currency in sorted({a.currency for a in accounts}):
        yield f"commodity {currency} 1000.00"
    for a in accounts:
        yield f"account {names[a.code]}  ; type: {HLEDGER_TYPES[a.kind]}, kind: {a.kind}"


def _hledger_entry(entry: PostedEntry, names: dict[str, str]) -> Iterator[str]:
    description = _one_line(entry.memo).replace(";", ",")  # a ";" would start a comment
    yield f"{entry.effective_on.isoformat()} ({entry.sequence}) {description}"
    yield f"    ; entry: {entry.sequence}"
    for label, value in (
        ("key", entry.key),
        ("memo", entry.memo),
        ("actor", entry.actor),
        ("reason", entry.reason),
        ("source", entry.source_document),
        ("reverses", entry.reverses),
    ):
        if value:
            yield f"    ; {label}: {tag_value(value)}"
    for p in entry.postings:
        yield f"    {names[p.account]}  {p.currency} {_signed(p.side, p.minor_units)}"


def _quoted(text: str | None) -> str:
    return '"' + _one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _beancount_header(accounts: list[AccountInfo], names: dict[str, str], as_of: date | None):
    yield "; regioledger journal, for beancount" + (f", as of {as_of.isoformat()}" if as_of else "")
    title = "regioledger" + (f" as of {as_of.isoformat()}" if as_of else "")
    yield f"option {_quoted('title')} {_quoted(title)}"
    yield f"option {_quoted('operating_currency')} {_quoted(OPERATING_CURRENCY)}"
    for currency in sorted({a.currency for a in accounts}):
        yield f"{OPEN_ON.isoformat()} commodity {currency}"
    for a in accounts:
        yield f"{OPEN_ON.isoformat()} open {names[a.code]} {a.currency}"
        yield f"  code: {_quoted(a.code)}"


def _beancount_entry(entry: PostedEntry, names: dict[str, str]) -> Iterator[str]:
    yield f"{entry.effective_on.isoformat()} * {_quoted(entry.memo)}"
    yield f"  entry: {entry.sequence}"
    for label, value in (
        ("key", entry.key),
        ("actor", entry.actor),
        ("reason", entry.reason),
        ("source", entry.source_document),
        ("reverses", entry.reverses),
    ):
        if value:
            yield f"  {label}: {_quoted(value)}"
    for p in entry.postings:
        yield f"  {names[p.account]}  {_signed(p.side, p.minor_units)} {p.currency}"
