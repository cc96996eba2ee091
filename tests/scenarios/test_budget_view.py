"""The Rijksbegroting's view, on both databases: a budget year from the budget as enacted on
the Aanvullende Post, through an overboeking with its cash series to the department's article
and a kasschuif, to commitments and payments (a SPUK, a DU that leaves for the funds, a USD BU)
and a repayment; every figure of the report equal to what the books say, and to a sum over
every posting of the journal made here apart from the report's own query."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ledger.db.rows import load_entries
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.regio.begroting import Article, Line, Mutation, MutationKind, Stelsel
from ledger.regio.db.begroting_reads import load_budget_books
from ledger.regio.db.service import RegioService
from ledger.regio.model import Deal, Instrument
from reports.budget import budget_json, build_budget_report
from tests.scenarios.flow import (
    OFFICER,
    build_world,
    eur,
    saba_beschikking,
    saba_deal,
    zwolle_beschikking,
    zwolle_deal,
)

C, K, R = Stelsel.COMMITMENTS, Stelsel.CASH, Stelsel.RECEIPTS
AP = Article("FIN-IXB-AP", "Financiën", "IXB", "10", "Aanvullende Post")
REGIO = Article("BZK-VII-RD", "BZK", "VII", "2", "Regio Deals", tranches=("T5", "T6"))


def lines(*cells: tuple[int, Stelsel, str]) -> tuple[Line, ...]:
    return tuple(Line(year, side, eur(amount)) for year, side, amount in cells)


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    build_world(service)
    for article in (AP, REGIO):
        service.open_article(article, who=OFFICER)
    return service


MUTATIONS = [
    (
        "initial-2024",  # the budget as enacted on the AP
        Mutation(
            MutationKind.INITIAL,
            AP.code,
            "Begroting 2024",
            date(2024, 1, 1),
            lines((2024, C, "100000000.00"), (2024, K, "60000000.00"), (2025, K, "40000000.00")),
        ),
    ),
    (
        "vjn-2024",  # the overboeking with its cash series (Voorjaarsnota)
        Mutation(
            MutationKind.OVERBOEKING,
            REGIO.code,
            "Voorjaarsnota 2024",
            date(2024, 5, 7),
            lines((2024, C, "80000000.00"), (2024, K, "50000000.00"), (2025, K, "30000000.00")),
            from_article=AP.code,
        ),
    ),
    (
        "kasschuif",  # cash from 2024 to 2025 on the article
        Mutation(
            MutationKind.KASSCHUIF,
            REGIO.code,
            "Kasschuif 2024-2025",
            date(2024, 11, 15),
            lines((2024, K, "-20000000.00"), (2025, K, "20000000.00")),
        ),
    ),
]


def enacted(regio: RegioService) -> None:
    for key, mutation in MUTATIONS:
        regio.record_budget_mutation(mutation, key=key, who=OFFICER)


def realised_world(regio: RegioService) -> None:
    """A SPUK of €30M (2024), €6M paid in 2024, lowered to €4M in 2026 with €2M repaid; a DU of
    €10M (2024), €4M paid in 2025; a BU of $5,425,000 (€5M at 1.085), $1,085,000 paid in 2024."""
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    regio.pay("RD-2024-001", eur("6000000.00"), on=date(2024, 9, 15), key="pay", who=OFFICER)
    noord = Deal("NOORD", "Noord", "T5", eur("10000000.00"), date(2024, 7, 1), date(2028, 12, 31))
    regio.sign_deal(noord, key="sign-noord", who=OFFICER)
    du = zwolle_beschikking(
        nummer="DU-NOORD", deal="NOORD", instrument=Instrument.DU, amount=eur("10000000.00")
    )
    regio.grant(du, key="grant-du", who=OFFICER)
    regio.pay("DU-NOORD", eur("4000000.00"), on=date(2025, 2, 1), key="pay-du", who=OFFICER)
    regio.sign_deal(saba_deal(), key="sign-saba", who=OFFICER)
    regio.grant(saba_beschikking(), key="grant-saba", who=OFFICER)
    usd = Money.of("1085000.00", "USD")
    regio.pay("BU-SABA-1", usd, on=date(2024, 10, 1), key="pay-saba", who=OFFICER)
    regio.amend_beschikking(
        "RD-2024-001", eur("4000000.00"), on=date(2026, 11, 1), key="lower", who=OFFICER
    )
    regio.repay("RD-2024-001", eur("2000000.00"), on=date(2026, 11, 20), key="r", who=OFFICER)


def report(regio: RegioService, as_of: date, **asked):
    with UnitOfWork(regio.engine) as uow:
        books = load_budget_books(uow.connection, as_of, asked.pop("recorded_as_of", None))
    return build_budget_report(books, as_of=as_of, **asked)


def year_of(report_, article: str, year: int):
    [a] = [a for a in report_.articles if a.article.code == article]
    return next(f for f in a.years if f.year == year)


def test_the_budget_moves_from_the_aanvullende_post_to_the_article_with_its_cash_series(regio):
    enacted(regio)
    seen = report(regio, date(2026, 12, 6))
    ap24, ap25 = year_of(seen, AP.code, 2024), year_of(seen, AP.code, 2025)
    rd24, rd25 = year_of(seen, REGIO.code, 2024), year_of(seen, REGIO.code, 2025)
    assert (ap24.budget[C], ap24.budget[K], ap25.budget[K]) == (
        eur("20000000.00"),  # 100 - 80
        eur("10000000.00"),  # 60 - 50
        eur("10000000.00"),  # 40 - 30
    )
    assert (rd24.budget[C], rd24.budget[K], rd25.budget[K]) == (
        eur("80000000.00"),
        eur("30000000.00"),  # 50 - 20 moved to 2025
        eur("50000000.00"),  # 30 + 20
    )
    before = report(regio, date(2024, 5, 6))  # the day before the Voorjaarsnota
    assert year_of(before, AP.code, 2024).budget[C] == eur("100000000.00")
    assert REGIO.code not in {a.article.code for a in before.articles if a.years}


def test_realisation_follows_the_bookings_per_year_and_the_du_leaves_for_the_funds(regio):
    enacted(regio)
    realised_world(regio)
    seen = report(regio, date(2026, 12, 6))
    y24, y25, y26 = (year_of(seen, REGIO.code, y) for y in (2024, 2025, 2026))
    assert y24.realised[C] == eur("35000000.00")  # the SPUK's 30M and the BU's 5M
    assert y24.realised[K] == eur("7000000.00")  # 6M and $1,085,000 at 1.085
    # lowered from 30M to 4M with 6M paid: the 24M unpaid is released (a negative commitment);
    # the 2M paid too much stays paid and comes back as a receipt
    assert y26.realised[C] == eur("-24000000.00")
    assert y26.realised[R] == eur("2000000.00")  # repaid
    assert (y24.to_funds_commitments, y25.to_funds_cash) == (
        eur("10000000.00"),
        eur("4000000.00"),
    )
    assert y25.realised[K].is_zero()  # the DU's payment is no cash on the article
    assert y24.open_commitments == eur("28000000.00")  # 35 - 7
    assert y26.open_commitments == eur("4000000.00")  # 11 committed - 7 paid: the BU's rest
    independent = journal_sums(regio)
    for f in (y24, y25, y26):
        for side in Stelsel:
            assert f.realised[side] == independent[(f.year, side)], (f.year, side)


def journal_sums(regio: RegioService) -> dict[tuple[int, Stelsel], Money]:
    """Commitments, cash and receipts per year summed over every posting of every entry, apart
    from the report's query: a posting moving money into the committed stages from outside them
    is a commitment; into the paid stages from outside them, cash; into ``recovered``, a receipt."""
    committed = {"unpaid", "paid", "settled", "recoverable", "recovered"}
    paid = committed - {"unpaid"}
    with UnitOfWork(regio.engine) as uow:
        entries = load_entries(uow.connection, ids=range(1, 10_000))
    sums: dict[tuple[int, Stelsel], Money] = defaultdict(Money.zero)
    for entry in entries:
        for p in entry.postings:
            kind, nummer, stage = (p.account.split(":", 2) + ["", ""])[:3]
            if kind != "beschikking" or nummer == "DU-NOORD":
                continue
            signed = p.minor_units if p.side == "credit" else -p.minor_units
            euros = Decimal(signed) / 100
            if p.currency == "USD":
                euros = (euros / Decimal("1.085")).quantize(Decimal("0.01"))
            year = entry.effective_on.year
            if stage in committed and p.currency == "EUR" or stage == "fx-eur":
                sums[(year, C)] += Money.of(euros)
            if stage in paid:
                sums[(year, K)] += Money.of(euros)
            if stage == "recovered":
                sums[(year, R)] += Money.of(euros)
    return sums


def test_the_report_as_recorded_before_a_mutation_leaves_it_out(regio):
    """Recorded an hour apart on a clock the test sets: as the books held it between the two,
    the kasschuif is not there yet; as of now it is."""
    now = datetime.now(UTC)
    moment = [now + timedelta(hours=1)]
    timed = RegioService(regio.engine, clock=lambda: moment[0])
    enacted_without_kasschuif = [m for m in MUTATIONS if m[0] != "kasschuif"]
    for key, mutation in enacted_without_kasschuif:
        timed.record_budget_mutation(mutation, key=key, who=OFFICER)
    moment[0] = now + timedelta(hours=2)
    timed.record_budget_mutation(dict(MUTATIONS)["kasschuif"], key="kasschuif", who=OFFICER)
    between = report(regio, date(2026, 12, 6), recorded_as_of=now + timedelta(minutes=90))
    assert year_of(between, REGIO.code, 2024).budget[K] == eur("50000000.00")
    assert year_of(report(regio, date(2026, 12, 6)), REGIO.code, 2024).budget[K] == eur(
        "30000000.00"
    )


def test_a_kasschuif_that_does_not_add_up_to_zero_is_refused_and_books_nothing(regio, ledger):
    enacted(regio)
    entries = ledger.verify().entries_checked
    with pytest.raises(LedgerError) as refused:
        regio.record_budget_mutation(
            Mutation(
                MutationKind.KASSCHUIF,
                REGIO.code,
                "Scheef",
                date(2024, 12, 1),
                lines((2024, K, "-1.00"), (2025, K, "2.00")),
            ),
            key="scheef",
            who=OFFICER,
        )
    assert refused.value.code == "kasschuif_not_neutral"
    assert ledger.verify().entries_checked == entries


def test_moving_more_than_a_year_holds_is_refused_by_the_limit(regio, ledger):
    enacted(regio)
    with pytest.raises(LedgerError) as refused:
        regio.record_budget_mutation(
            Mutation(
                MutationKind.KASSCHUIF,
                REGIO.code,
                "Te veel",
                date(2024, 12, 1),
                lines((2024, K, "-30000000.01"), (2025, K, "30000000.01")),
            ),
            key="te-veel",
            who=OFFICER,
        )
    assert refused.value.code == "budget_exceeded"
    assert "article BZK-VII-RD for uitgaven in 2024" in refused.value.problems[0].message
    assert "€30,000,000.00 available" in refused.value.problems[0].message
    assert ledger.verify().ok


def test_a_mutation_in_the_future_or_on_an_unknown_article_is_refused(regio):
    future = Mutation(
        MutationKind.INITIAL, AP.code, "Begroting 2027", date(2026, 12, 7), lines((2027, C, "1.00"))
    )
    with pytest.raises(LedgerError) as refused:
        regio.record_budget_mutation(future, key="f", who=OFFICER)
    assert refused.value.code == "future_date"
    unknown = Mutation(
        MutationKind.INITIAL, "ONBEKEND", "Begroting", date(2024, 1, 1), lines((2024, C, "1.00"))
    )
    with pytest.raises(LedgerError) as refused:
        regio.record_budget_mutation(unknown, key="u", who=OFFICER)
    assert refused.value.code == "article_not_found"


def test_the_same_mutation_twice_is_booked_once_and_other_content_under_its_key_refused(regio):
    enacted(regio)
    again = dict(MUTATIONS)["initial-2024"]
    first = regio.record_budget_mutation(again, key="initial-2024", who=OFFICER)
    assert first.key == "initial-2024"
    other = Mutation(
        MutationKind.INITIAL, AP.code, "Begroting 2024", date(2024, 1, 1), lines((2024, C, "1.00"))
    )
    with pytest.raises(LedgerError) as refused:
        regio.record_budget_mutation(other, key="initial-2024", who=OFFICER)
    assert refused.value.code == "idempotency_conflict"


def test_a_mutation_booked_wrong_is_reversed_and_both_stay_visible(regio):
    enacted(regio)
    regio.reverse_budget_mutation("kasschuif", on=date(2024, 12, 1), key="rev", who=OFFICER)
    seen = report(regio, date(2026, 12, 6), article=REGIO.code)
    assert year_of(seen, REGIO.code, 2024).budget[K] == eur("50000000.00")
    assert [m.kind for m in seen.articles[0].mutations] == ["overboeking", "kasschuif", "reversal"]
    with pytest.raises(LedgerError) as refused:
        regio.reverse_budget_mutation("rev", on=date(2024, 12, 2), key="rev2", who=OFFICER)
    assert refused.value.code == "budget_mutation_not_found"


def test_the_json_answer_names_each_year_and_the_kasreeks_after_the_year_asked(regio):
    enacted(regio)
    answer = budget_json(report(regio, date(2026, 12, 6), year=2024, article=REGIO.code))
    [article] = answer["articles"]
    assert [y["year"] for y in article["years"]] == [2024]
    assert article["kasreeks"] == {"2025": "50000000.00"}
    assert article["years"][0]["budget"]["uitgaven"] == "30000000.00"
