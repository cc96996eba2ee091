"""The matching of the ministry's record against the ledger (pure): every line and every entry
in exactly one pair, pairs only within a beschikking and kind, equal only when equal, the same
answer for the same input, and the named outcomes on the cases the contract names."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.money import Money
from reports.matching import (
    AMOUNT_DIFFERS,
    DATE_DIFFERS,
    MATCHED,
    ONLY_IN_FILE,
    ONLY_IN_LEDGER,
    FileLine,
    LedgerItem,
    match,
    totals,
)

DAY = date(2024, 9, 1)


def line(
    n: int,
    amount: str,
    on: date = DAY,
    nummer: str = "B-1",
    kind: str = "betaling",
    kenmerk: str | None = None,
) -> FileLine:
    return FileLine.of(n, nummer, kind, on, Money.of(amount), kenmerk)


def item(
    ref: str,
    amount: str,
    on: date = DAY,
    nummer: str = "B-1",
    kind: str = "betaling",
    kenmerk: str | None = None,
) -> LedgerItem:
    return LedgerItem(ref, nummer, kind, on, Money.of(amount), kenmerk, (1,))


def outcomes(pairs):
    return sorted((p.outcome, p.line and p.line.line, p.item and p.item.ref) for p in pairs)


def test_the_named_outcomes():
    pairs = match(
        [
            line(1, "100.00"),  # exact
            line(2, "200.00", DAY + timedelta(days=5)),  # within the window
            line(3, "300.01"),  # a cent off, same date
            line(4, "400.00", DAY + timedelta(days=30)),  # the same amount, a month later
            line(5, "500.00", DAY + timedelta(days=60), kenmerk="KAS-5"),  # its kenmerk pairs it
            line(6, "600.00", DAY + timedelta(days=90)),  # nothing like it in the ledger
        ],
        [
            item("a", "100.00"),
            item("b", "200.00"),
            item("c", "300.00"),
            item("d", "400.00"),
            item("e", "555.00", DAY + timedelta(days=200), kenmerk="kas-5"),
            item("f", "700.00", DAY + timedelta(days=300)),
        ],
    )
    assert outcomes(pairs) == sorted(
        [
            (MATCHED, 1, "a"),
            (MATCHED, 2, "b"),
            (AMOUNT_DIFFERS, 3, "c"),
            (DATE_DIFFERS, 4, "d"),
            (AMOUNT_DIFFERS, 5, "e"),
            (ONLY_IN_FILE, 6, None),
            (ONLY_IN_LEDGER, None, "f"),
        ]
    )
    [cent] = [p for p in pairs if p.outcome == AMOUNT_DIFFERS and p.line.line == 3]
    assert cent.difference == Money.of("0.01")


def test_the_exact_date_is_taken_before_a_near_one():
    pairs = match(
        [line(1, "100.00", DAY + timedelta(days=2)), line(2, "100.00")],
        [item("near", "100.00", DAY + timedelta(days=2)), item("exact", "100.00")],
    )
    assert outcomes(pairs) == [(MATCHED, 1, "near"), (MATCHED, 2, "exact")]


def test_lines_of_another_beschikking_or_kind_never_pair():
    pairs = match(
        [line(1, "100.00", nummer="B-2"), line(2, "100.00", kind="terugontvangst")],
        [item("a", "100.00")],
    )
    assert {p.outcome for p in pairs} == {ONLY_IN_FILE, ONLY_IN_LEDGER}


amounts = st.integers(1, 5).map(lambda n: Money.of(f"{n}00.00"))
days = st.integers(0, 40).map(lambda n: DAY + timedelta(days=n))
nummers = st.sampled_from(["B-1", "B-2"])
kinds = st.sampled_from(["betaling", "verplichting"])
kenmerken = st.none() | st.sampled_from(["K-1", "K-2"])


@st.composite
def sides(draw):
    lines = [
        FileLine.of(n, draw(nummers), draw(kinds), draw(days), draw(amounts), draw(kenmerken))
        for n in range(draw(st.integers(0, 8)))
    ]
    items = [
        LedgerItem(
            f"i{n}", draw(nummers), draw(kinds), draw(days), draw(amounts), draw(kenmerken), (n,)
        )
        for n in range(draw(st.integers(0, 8)))
    ]
    return lines, items


@settings(max_examples=300, deadline=None)
@given(sides(), st.integers(0, 10))
def test_every_line_and_entry_is_in_exactly_one_pair(drawn, window):
    lines, items = drawn
    pairs = match(lines, items, window)
    assert sorted(p.line.line for p in pairs if p.line) == [f.line for f in lines]
    assert sorted(p.item.ref for p in pairs if p.item) == sorted(i.ref for i in items)
    for p in pairs:
        if p.line and p.item:
            assert (
                (p.line.nummer, p.line.kind) == (p.item.nummer, p.item.kind) == (p.nummer, p.kind)
            )
        if p.outcome == MATCHED:
            assert p.line.amount == p.item.amount
            assert abs((p.line.on - p.item.on).days) <= window
        if p.outcome == DATE_DIFFERS:
            assert p.line.amount == p.item.amount
        if p.outcome == AMOUNT_DIFFERS:
            assert p.line.amount != p.item.amount
        assert (p.outcome == ONLY_IN_FILE) == (p.item is None)
        assert (p.outcome == ONLY_IN_LEDGER) == (p.line is None)
    assert outcomes(match(lines, items, window)) == outcomes(pairs)  # the same answer again
    found = totals(pairs, "EUR")
    assert sum(found.counts.values()) == len(pairs)
    assert sum(found.file.values(), Money.zero()) == sum((f.amount for f in lines), Money.zero())


@settings(max_examples=200, deadline=None)
@given(sides())
def test_the_ledger_matched_against_itself_matches_wholly(drawn):
    _, items = drawn
    mirrored = [
        FileLine.of(n, i.nummer, i.kind, i.on, i.amount, i.kenmerk) for n, i in enumerate(items)
    ]
    assert {p.outcome for p in match(mirrored, items)} <= {MATCHED}
