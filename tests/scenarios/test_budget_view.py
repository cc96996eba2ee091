"""The Rijksbegroting's view, on both databases: a budget year from the budget as enacted on
the Aanvullende Post, through an overboeking with its cash series to the department's article
and a kasschuif, to commitments and payments (a SPUK, a DU that leaves for the funds, a USD BU)
and a repayment; every figure of the report equal to what the books say, and to a sum over
every posting of the journal made here apart from the report's own query."""

from __future__ import annotations

import contextlib
import itertools
import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ledger.db.rows import load_entries
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.regio.begroting import Article, Line, Mutation, MutationKind, Stelsel
from ledger.regio.db.begroting_check import budget_view_problems
from ledger.regio.db.begroting_reads import load_budget_books
from ledger.regio.db.begroting_tables import mutation_table
from ledger.regio.db.service import RegioService
from ledger.regio.kasritme import Advance, yearly_instalments
from ledger.regio.model import Deal, Instrument, Who
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
    assert checked(regio) == []


def journal_sums(regio: RegioService, only: str | None = None) -> dict[tuple[int, Stelsel], Money]:
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
            if kind != "beschikking" or nummer == "DU-NOORD" or only not in (None, nummer):
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


# --- payment schedules (kasritme) ---------------------------------------------------------------


def scheduled(regio: RegioService) -> None:
    """RD-2024-001 (€30M, decided 1 September 2024) plans three yearly advances of €10M from
    15 September 2024; €6M is paid on that day and €10M on 1 October 2025."""
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    advances = yearly_instalments(eur("30000000.00"), date(2024, 9, 15), 3)
    regio.set_payment_schedule(
        "RD-2024-001", advances, on=date(2024, 9, 1), key="kasritme", who=OFFICER
    )
    regio.pay("RD-2024-001", eur("6000000.00"), on=date(2024, 9, 15), key="p1", who=OFFICER)
    regio.pay("RD-2024-001", eur("10000000.00"), on=date(2025, 10, 1), key="p2", who=OFFICER)


def test_payments_are_matched_to_the_schedule_and_the_rest_is_expected_per_year(regio):
    scheduled(regio)
    mid_2025 = report(regio, date(2025, 6, 30), article=REGIO.code).articles[0]
    [late] = mid_2025.behind
    assert (late.nummer, late.planned, late.paid, late.behind) == (
        "RD-2024-001",
        eur("10000000.00"),
        eur("6000000.00"),
        eur("4000000.00"),
    )
    # by the end of 2025 €20M is planned, €6M paid: €14M expected in 2025, the last €10M in 2026
    assert mid_2025.expected == {2025: eur("14000000.00"), 2026: eur("10000000.00")}
    now = report(regio, date(2026, 12, 6), article=REGIO.code).articles[0]
    assert [p.behind for p in now.behind] == [eur("14000000.00")]  # 30 due, 16 paid
    assert now.expected == {2026: eur("14000000.00")}  # what is overdue is expected this year
    assert sum(now.expected.values(), Money.zero()) <= eur("14000000.00")  # never past the grant


def test_a_new_schedule_replaces_the_old_one_from_its_date_and_both_are_kept(regio):
    scheduled(regio)
    later = (
        Advance(date(2024, 9, 15), eur("6000000.00")),
        Advance(date(2025, 10, 1), eur("10000000.00")),
        Advance(date(2027, 3, 1), eur("14000000.00")),
    )
    regio.set_payment_schedule(
        "RD-2024-001", later, on=date(2026, 1, 15), key="kasritme-2", who=OFFICER
    )
    now = report(regio, date(2026, 12, 6), article=REGIO.code).articles[0]
    assert now.behind == ()
    assert now.expected == {2026: Money.zero(), 2027: eur("14000000.00")}
    before = report(regio, date(2025, 12, 31), article=REGIO.code).articles[0]
    assert [p.behind for p in before.behind] == [eur("4000000.00")]  # the first schedule then


def test_a_schedule_is_refused_before_the_decision_in_the_future_or_above_the_grant(regio):
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    one = (Advance(date(2025, 1, 1), eur("1000000.00")),)
    cases = [
        (date(2024, 8, 31), one, "schedule_outside_life"),  # before the decision
        (date(2026, 12, 7), one, "future_date"),
        (
            date(2024, 9, 1),
            (Advance(date(2025, 1, 1), eur("30000000.01")),),
            "schedule_exceeds_grant",
        ),
        (date(2024, 9, 1), (Advance(date(2024, 8, 1), eur("1.00")),), "schedule_outside_period"),
        (date(2024, 9, 1), (), "schedule_empty"),
    ]
    for n, (on, advances, code) in enumerate(cases):
        with pytest.raises(LedgerError) as refused:
            regio.set_payment_schedule("RD-2024-001", advances, on=on, key=f"s{n}", who=OFFICER)
        assert refused.value.code == code, code
    assert report(regio, date(2026, 12, 6), article=REGIO.code).articles[0].expected == {}
    regio.set_payment_schedule("RD-2024-001", one, on=date(2024, 9, 1), key="ok", who=OFFICER)
    regio.set_payment_schedule("RD-2024-001", one, on=date(2024, 9, 1), key="ok", who=OFFICER)
    other = (Advance(date(2025, 1, 2), eur("1000000.00")),)
    with pytest.raises(LedgerError) as refused:
        regio.set_payment_schedule("RD-2024-001", other, on=date(2024, 9, 1), key="ok", who=OFFICER)
    assert refused.value.code == "idempotency_conflict"


def test_the_command_line_books_the_budget_and_reports_it_in_each_format(regio, tmp_path):
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from api.cli.main import app

    url = regio.engine.url.render_as_string(hide_password=False)
    run = CliRunner().invoke
    who = ["--by", "fo", "--reason", "test", "--database", url]
    initial = ["begroting", "mutate", "FIN-IXB-AP", "--kind", "initial", "--name", "B 2024"]
    lines = ["--line", "2024:uitgaven:60000000.00", "--line", "2025:uitgaven:40000000.00"]
    booked = run(app, [*initial, *lines, "--on", "2024-01-01", "--key", "b", *who])
    assert booked.exit_code == 0, booked.output
    skewed = run(
        app,
        ["begroting", "mutate", "FIN-IXB-AP", "--kind", "kasschuif", "--name", "S"]
        + ["--line", "2024:uitgaven:-1.00", "--line", "2025:uitgaven:2.00", "--on", "2024-02-01"]
        + who,
    )
    assert skewed.exit_code == 1 and "kasschuif_not_neutral" in skewed.output
    assert "Traceback" not in skewed.output
    bad_line = run(app, [*initial, "--line", "2024:cash:1.00", "--on", "2024-01-01", *who])
    assert bad_line.exit_code == 2 and "YEAR:SIDE:AMOUNT" in bad_line.output
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    planned = run(
        app,
        ["begroting", "schedule", "RD-2024-001", "--on", "2024-09-01", "--yearly", "3"]
        + ["--first-due", "2024-09-15", *who],
    )
    assert planned.exit_code == 0, planned.output
    answer = json.loads(
        run(app, ["report", "budget", "--format", "json", "--database", url]).output
    )
    rd = next(a for a in answer["articles"] if a["code"] == REGIO.code)
    assert rd["expected_cash"]["2026"] == "30000000.00"  # nothing paid: all of it overdue now
    text = run(app, ["report", "budget", "--lang", "en", "--year", "2024", "--database", url])
    assert "Budget against realisation per article and year" in text.output
    out = tmp_path / "begroting.xlsx"
    made = run(app, ["report", "budget", "--format", "xlsx", "--out", str(out), "--database", url])
    assert made.exit_code == 0, made.output
    sheet = load_workbook(out)["FIN-IXB-AP"]
    assert [sheet.cell(5, 1).value, sheet.cell(5, 4).value] == [2024, 60000000]


# --- what foreign currency really cost --------------------------------------------------------


def test_a_usd_payment_books_what_the_euros_really_cost_and_the_difference_apart(regio, ledger):
    """$1,085,000 is €1,000,000 at the grant's rate (1.085); it really cost €1,010,000 on its
    day: €10,000 is booked as an exchange difference, and the budget view shows the cash as
    paid, €1,010,000, with the commitment following it."""
    regio.sign_deal(saba_deal(), key="sign-saba", who=OFFICER)
    regio.grant(saba_beschikking(), key="grant-saba", who=OFFICER)
    usd, real = Money.of("1085000.00", "USD"), eur("1010000.00")
    bank = Who("finance-officer", "voorschot", "Bankafschrift 1 oktober 2024 (koers 1,0743)")
    regio.pay("BU-SABA-1", usd, on=date(2024, 10, 1), key="pay", who=bank, eur_paid=real)
    assert ledger.balance("beschikking:BU-SABA-1:koersverschil").balance == eur("10000.00")
    assert ledger.balance("beschikking:BU-SABA-1:paid").balance == usd
    y2024 = year_of(report(regio, date(2026, 12, 6)), REGIO.code, 2024)
    assert y2024.realised[K] == real
    assert y2024.realised[C] == eur("5010000.00")
    assert y2024.open_commitments == eur("4000000.00")  # the $4,340,000 unpaid at the grant's rate
    cheaper = Who("finance-officer", "voorschot", "Bankafschrift 1 november 2024")
    regio.pay(
        "BU-SABA-1", usd, on=date(2024, 11, 1), key="pay-2", who=cheaper, eur_paid=eur("995000.00")
    )
    assert ledger.balance("beschikking:BU-SABA-1:koersverschil").balance == eur("5000.00")
    assert ledger.verify().ok and checked(regio) == []


def test_the_euros_paid_are_refused_for_a_euro_grant_or_without_the_rates_source(regio, ledger):
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    regio.sign_deal(saba_deal(), key="sign-saba", who=OFFICER)
    regio.grant(saba_beschikking(), key="grant-saba", who=OFFICER)
    entries = ledger.verify().entries_checked
    cases = [
        ("RD-2024-001", eur("1.00"), OFFICER, "eur_paid_for_eur_grant"),
        ("BU-SABA-1", Money.of("1.00", "USD"), Who("fo", "voorschot"), "eur_paid_without_source"),
    ]
    for nummer, amount, who, code in cases:
        with pytest.raises(LedgerError) as refused:
            regio.pay(nummer, amount, on=date(2024, 10, 1), key=code, who=who, eur_paid=eur("1.00"))
        assert refused.value.code == code
    assert ledger.verify().entries_checked == entries


def checked(regio: RegioService) -> list[str]:
    with UnitOfWork(regio.engine) as uow:
        return [p.code for p in budget_view_problems(uow.connection)]


def test_verify_finds_a_budget_mutation_that_books_outside_its_article(regio):
    """The tables take new rows only: a mutation row pointing at a grant's entry is what a
    careless import could add; the check between the view and the journal names it."""
    enacted(regio)
    realised_world(regio)
    assert checked(regio) == []
    with UnitOfWork(regio.engine, write=True) as uow:
        grant = uow.connection.execute(
            select(mutation_table.c.entry_id).where(mutation_table.c.key == "vjn-2024")
        ).scalar_one()
        [entry] = load_entries(uow.connection, keys=["grant"])
        uow.connection.execute(
            mutation_table.insert().values(
                key="stray",
                kind="initial",
                article=AP.code,
                name="Verdwaald",
                effective_on=date(2024, 1, 1),
                entry_id=entry.sequence,
            )
        )
        uow.commit()
    assert grant != entry.sequence
    assert "budget_mutation_off_article" in checked(regio)


EXAMPLES = itertools.count()
OPERATION = st.tuples(
    st.sampled_from(["pay", "amend", "repay"]),
    st.integers(1, 1_000_000_000),  # cents: up to €10M
    st.dates(date(2024, 1, 15), date(2026, 12, 6)),
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(OPERATION, max_size=8))
def test_realisation_per_year_always_equals_the_journals_postings(regio, operations):
    """Any history of payments, wijzigingsbeschikkingen and repayments on a fresh beschikking
    (each refusal changing nothing): the budget view's commitments, cash and receipts per year
    equal the sum over the journal's postings, and verify's check finds nothing."""
    n = next(EXAMPLES)
    deal, nummer = f"PROP-{n}", f"RD-PROP-{n}"
    regio.sign_deal(
        Deal(deal, "Eigenschap", "T5", eur("10000000.00"), date(2024, 1, 1), date(2028, 12, 31)),
        key=f"sign-{deal}",
        who=OFFICER,
    )
    granted = zwolle_beschikking(
        nummer=nummer, deal=deal, amount=eur("10000000.00"), decided_on=date(2024, 1, 15)
    )
    regio.grant(granted, key=f"grant-{nummer}", who=OFFICER)
    for number, (operation, cents, on) in enumerate(operations):
        amount, key = Money.from_minor_units(cents), f"{nummer}-{number}"
        with contextlib.suppress(LedgerError):
            if operation == "pay":
                regio.pay(nummer, amount, on=on, key=key, who=OFFICER)
            elif operation == "amend":
                regio.amend_beschikking(nummer, amount, on=on, key=key, who=OFFICER)
            else:
                regio.repay(nummer, amount, on=on, key=key, who=OFFICER)
    with UnitOfWork(regio.engine) as uow:
        books = load_budget_books(uow.connection, date(2026, 12, 6))
    independent = journal_sums(regio, only=nummer)
    for year in (2024, 2025, 2026):
        part = books.each.get((REGIO.code, year, nummer))
        for side in Stelsel:
            found = part.of(side) if part else Money.zero()
            assert found == independent.get((year, side), Money.zero()), (year, side)
    assert checked(regio) == []
