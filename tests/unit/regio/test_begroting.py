"""The Rijksbegroting's rules on small objects, no database: what makes a budget mutation
meaningless, that each mutation books one balanced entry, and (a property) that the realisation
derived from stage balances per year equals the one read move by move."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ledger.accounts import Side
from ledger.money import Money
from ledger.regio.begroting import (
    COMMITTED_STAGES,
    PAID_STAGES,
    Flow,
    Grant,
    Line,
    Mutation,
    MutationKind,
    Stelsel,
    book_mutation,
    check_mutation,
    realise,
)
from ledger.regio.kasritme import Advance, pace, yearly_instalments
from ledger.regio.model import Who

WHO = Who("fo", "test", "Kamerstuk")
C, K = Stelsel.COMMITMENTS, Stelsel.CASH


def eur(amount: str) -> Money:
    return Money.of(amount)


def mutation(kind: MutationKind, *cells: tuple[int, Stelsel, str], **more) -> Mutation:
    lines = tuple(Line(y, s, eur(a)) for y, s, a in cells)
    return Mutation(kind, "VII-RD", "Test", date(2024, 5, 7), lines, **more)


def codes(m: Mutation) -> list[str]:
    return [p.code for p in check_mutation(m)]


def test_a_kasschuif_nets_to_zero_per_side_over_two_years_or_more():
    good = mutation(MutationKind.KASSCHUIF, (2024, K, "-5.00"), (2025, K, "5.00"))
    assert codes(good) == []
    assert codes(mutation(MutationKind.KASSCHUIF, (2024, K, "-5.00"), (2025, K, "4.99"))) == [
        "kasschuif_not_neutral"
    ]
    across_sides = mutation(MutationKind.KASSCHUIF, (2024, K, "-5.00"), (2025, C, "5.00"))
    assert codes(across_sides) == ["kasschuif_not_neutral"]
    one_year = mutation(MutationKind.KASSCHUIF, (2024, K, "-5.00"), (2024, C, "5.00"))
    assert "kasschuif_not_neutral" in codes(one_year)


def test_an_overboeking_needs_its_origin_and_no_mutation_takes_a_line_twice_or_below_zero():
    assert codes(mutation(MutationKind.OVERBOEKING, (2024, K, "5.00"))) == [
        "overboeking_without_origin"
    ]
    twice = mutation(MutationKind.INITIAL, (2024, K, "5.00"), (2024, K, "1.00"))
    assert codes(twice) == ["budget_line_twice"]
    assert codes(mutation(MutationKind.INITIAL, (2024, K, "-5.00"))) == [
        "budget_amount_not_positive"
    ]
    assert codes(mutation(MutationKind.INITIAL, (1999, K, "5.00"))) == ["budget_line_invalid"]
    assert codes(mutation(MutationKind.INITIAL)) == ["no_budget_lines"]


@given(
    st.lists(
        st.tuples(st.integers(2020, 2030), st.integers(1, 10**12)),
        min_size=1,
        max_size=6,
        unique_by=lambda c: c[0],
    ),
    st.sampled_from([MutationKind.INITIAL, MutationKind.OVERBOEKING, MutationKind.LOON_PRIJS]),
)
def test_every_mutation_books_one_balanced_entry_crediting_each_line(cells, kind):
    lines = tuple(Line(y, K, Money.from_minor_units(cents)) for y, cents in cells)
    origin = {"from_article": "AP"} if kind is MutationKind.OVERBOEKING else {}
    m = Mutation(kind, "VII-RD", "Test", date(2024, 5, 7), lines, **origin)
    entry = book_mutation("k", WHO, m)
    debit = sum(p.amount.minor_units for p in entry.postings if p.side is Side.DEBIT)
    credit = sum(p.amount.minor_units for p in entry.postings if p.side is Side.CREDIT)
    assert debit == credit == sum(cents for _, cents in cells)
    credited = {p.account for p in entry.postings if p.side is Side.CREDIT}
    assert credited == {f"begroting:VII-RD:{y}:uitgaven" for y, _ in cells}


# --- realisation: balances per stage and year against the moves themselves -------------------

OUTSIDE = "ungranted"  # the deal's account: outside the beschikking's stages
STAGES = ["unpaid", "paid", "settled", "recoverable", "recovered", "lapsed"]
MOVES = [
    (OUTSIDE, "unpaid"),  # grant, raise
    ("unpaid", OUTSIDE),  # release
    ("unpaid", "paid"),  # payment
    ("paid", "unpaid"),  # payment corrected
    ("paid", "settled"),
    ("paid", "recoverable"),
    ("recoverable", "recovered"),  # repayment
    ("unpaid", "lapsed"),
]
move = st.tuples(
    st.sampled_from(["A", "B", "D"]),  # A and B: SPUKs; D: a DU
    st.sampled_from(MOVES),
    st.integers(2022, 2027),
    st.integers(1, 10**9),
)


@given(st.lists(move, max_size=40))
def test_realisation_from_balances_equals_the_moves_read_one_by_one(moves):
    """Commitments are money moving into the committed stages from outside them (or out);
    cash, into the paid stages from outside them; receipts, into ``recovered``: read per move,
    this must equal what ``realise`` derives from each stage's net movement per year."""
    net: dict[tuple[str, str, int], int] = defaultdict(int)
    expected: dict[tuple[int, str], int] = defaultdict(int)
    for nummer, (source, target), year, cents in moves:
        net[(nummer, target, year)] += cents
        net[(nummer, source, year)] -= cents
        du = nummer == "D"
        for field, stages in (("c", COMMITTED_STAGES), ("k", PAID_STAGES)):
            crossing = (target in stages) - (source in stages)
            expected[(year, ("f" + field) if du else field)] += crossing * cents
        if not du:
            expected[(year, "r")] += ((target == "recovered") - (source == "recovered")) * cents
    flows = [
        Flow(n, stage, year, Money.from_minor_units(cents))
        for (n, stage, year), cents in net.items()
        if stage in STAGES and cents
    ]
    grants = {n: Grant(n, "T5", n == "D") for n in "ABD"}
    found = realise(flows, grants, {"T5": "VII-RD"})
    for year in range(2022, 2028):
        cell = found.get(("VII-RD", year))
        got = (
            {
                "c": cell.commitments,
                "k": cell.cash,
                "r": cell.receipts,
                "fc": cell.to_funds_commitments,
                "fk": cell.to_funds_cash,
            }
            if cell
            else {}
        )
        for field in ("c", "k", "r", "fc", "fk"):
            want = Money.from_minor_units(expected[(year, field)])
            assert got.get(field, Money.zero()) == want, (year, field)


def test_a_foreign_currency_grant_commits_its_euros_and_pays_at_its_rate():
    flows = [
        Flow("BU", "fx-eur", 2024, eur("5000000.00")),
        Flow("BU", "unpaid", 2024, Money.of("4340000.00", "USD")),
        Flow("BU", "paid", 2024, Money.of("1085000.00", "USD")),
    ]
    found = realise(flows, {"BU": Grant("BU", "T5", False, Decimal("1.085"))}, {"T5": "VII-RD"})
    cell = found[("VII-RD", 2024)]
    assert (cell.commitments, cell.cash) == (eur("5000000.00"), eur("1000000.00"))


# --- payment schedules --------------------------------------------------------------------------


def test_yearly_instalments_put_the_rounding_rest_on_the_first_and_add_up():
    parts = yearly_instalments(eur("100.00"), date(2025, 3, 1), 3)
    assert [p.due_on.year for p in parts] == [2025, 2026, 2027]
    assert [p.amount for p in parts] == [eur("33.34"), eur("33.33"), eur("33.33")]


@given(
    st.lists(st.integers(1, 10**8), min_size=1, max_size=5),
    st.integers(0, 6 * 10**8),
    st.integers(2024, 2030),
)
def test_expected_cash_never_exceeds_what_the_grant_leaves_unpaid(parts, paid_cents, year):
    advances = tuple(
        Advance(date(2024 + n, 6, 1), Money.from_minor_units(c)) for n, c in enumerate(parts)
    )
    granted = sum((a.amount for a in advances), Money.zero())
    paid = min(Money.from_minor_units(paid_cents), granted)
    seen = pace("B", advances, granted, paid, date(year, 1, 1))
    total = sum(seen.expected.values(), Money.zero())
    assert all(not m.minor_units < 0 for m in seen.expected.values())
    # the schedule plans the whole grant: all that is unpaid is expected, overdue or not
    assert total == granted - paid
