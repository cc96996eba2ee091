"""The ministry's own record matched against the ledger, line by line (pure; the contract is
``reconciliation-format.md``).

Per beschikking and kind (``verplichting``, ``betaling``, ``terugontvangst``), in passes that
never pair a line or an entry twice:

1. ``matched``: the same amount on the same date, then the same amount within the window
   (closest date first);
2. ``amount_differs`` / ``date_differs`` for a pair with the same kenmerk (the ledger entry's
   source) that is not equal;
3. ``date_differs``: the same amount, dated outside the window (closest date first);
4. ``amount_differs``: dated within the window, another amount;
5. what is left is ``only_in_file`` or ``only_in_ledger``.

Within a pass, file lines are taken in file order and ledger items in booking order, so the same
file against the same books gives the same answer every time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from ledger.money import Money

KINDS = ("verplichting", "betaling", "terugontvangst")
MATCHED, AMOUNT_DIFFERS, DATE_DIFFERS = "matched", "amount_differs", "date_differs"
ONLY_IN_FILE, ONLY_IN_LEDGER = "only_in_file", "only_in_ledger"
OUTCOMES = (MATCHED, AMOUNT_DIFFERS, DATE_DIFFERS, ONLY_IN_FILE, ONLY_IN_LEDGER)
WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)  # a file may hold 200,000 of them: no Money kept per line
class FileLine:
    """One good line of the ministry's file: its amount in minor units of ``currency``."""

    line: int
    nummer: str
    kind: str
    on: date
    cents: int
    currency: str = "EUR"
    kenmerk: str | None = None
    omschrijving: str | None = None

    @classmethod
    def of(
        cls,
        line: int,
        nummer: str,
        kind: str,
        on: date,
        amount: Money,
        kenmerk: str | None = None,
        omschrijving: str | None = None,
    ) -> FileLine:
        return cls(
            line, nummer, kind, on, amount.minor_units, amount.currency, kenmerk, omschrijving
        )

    @property
    def amount(self) -> Money:
        return Money.from_minor_units(self.cents, self.currency)


@dataclass(frozen=True, slots=True)
class LedgerItem:
    """One commitment, payment or repayment as the ledger booked it."""

    ref: str  # stable: "grant", "event-89", "amendment-3"
    nummer: str
    kind: str
    on: date
    amount: Money
    kenmerk: str | None
    entries: tuple[int, ...]

    @property
    def cents(self) -> int:
        return self.amount.minor_units


@dataclass(frozen=True, slots=True)
class Pair:
    outcome: str
    nummer: str
    kind: str
    line: FileLine | None
    item: LedgerItem | None

    @property
    def difference(self) -> Money | None:
        """File minus ledger, for a pair with both sides."""
        if self.line is None or self.item is None:
            return None
        return self.line.amount - self.item.amount


@dataclass
class _Open:
    lines: list[FileLine] = field(default_factory=list)
    items: list[LedgerItem] = field(default_factory=list)


def _same_kenmerk(line: FileLine, item: LedgerItem) -> bool:
    return bool(line.kenmerk and item.kenmerk) and (
        line.kenmerk.strip().casefold() == (item.kenmerk or "").strip().casefold()
    )


def _pass(
    group: _Open,
    fits: Callable[[FileLine, LedgerItem], bool],
    outcome: Callable[[FileLine, LedgerItem], str],
    found: list[Pair],
) -> None:
    """Pair each open line with the closest-dated open item that fits."""
    for line in list(group.lines):
        candidates = [i for i in group.items if fits(line, i)]
        if not candidates:
            continue
        item = min(candidates, key=lambda i: abs((i.on - line.on).days))
        group.lines.remove(line)
        group.items.remove(item)
        found.append(Pair(outcome(line, item), line.nummer, line.kind, line, item))


def match(
    lines: Iterable[FileLine], items: Iterable[LedgerItem], window_days: int = WINDOW_DAYS
) -> list[Pair]:
    """Every line and every item in exactly one pair, grouped by beschikking and kind."""
    groups: dict[tuple[str, str], _Open] = defaultdict(_Open)
    for line in lines:
        groups[(line.nummer, line.kind)].lines.append(line)
    for item in items:
        groups[(item.nummer, item.kind)].items.append(item)

    def near(line: FileLine, item: LedgerItem) -> bool:
        return abs((item.on - line.on).days) <= window_days

    def differs(line: FileLine, item: LedgerItem) -> str:
        return AMOUNT_DIFFERS if line.cents != item.cents else DATE_DIFFERS

    found: list[Pair] = []
    for key in sorted(groups):
        group = groups[key]
        _pass(group, lambda f, i: f.cents == i.cents and f.on == i.on, lambda f, i: MATCHED, found)
        _pass(group, lambda f, i: f.cents == i.cents and near(f, i), lambda f, i: MATCHED, found)
        _pass(group, _same_kenmerk, differs, found)
        _pass(group, lambda f, i: f.cents == i.cents, lambda f, i: DATE_DIFFERS, found)
        _pass(group, near, lambda f, i: AMOUNT_DIFFERS, found)
        found += [Pair(ONLY_IN_FILE, key[0], key[1], line, None) for line in group.lines]
        found += [Pair(ONLY_IN_LEDGER, key[0], key[1], None, item) for item in group.items]
    return found


@dataclass(frozen=True)
class Totals:
    """What the file and the ledger hold, per kind, and how many pairs had each outcome."""

    file: dict[str, Money]
    ledger: dict[str, Money]
    counts: dict[str, int]


def totals(pairs: Iterable[Pair], currency: str) -> Totals:
    file = dict.fromkeys(KINDS, 0)
    ledger = {kind: Money.zero(currency) for kind in KINDS}
    counts = dict.fromkeys(OUTCOMES, 0)
    for pair in pairs:
        counts[pair.outcome] += 1
        if pair.line is not None:
            file[pair.kind] += pair.line.cents
        if pair.item is not None:
            ledger[pair.kind] += pair.item.amount
    in_file = {kind: Money.from_minor_units(cents, currency) for kind, cents in file.items()}
    return Totals(in_file, ledger, counts)
