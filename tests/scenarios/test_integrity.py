"""Every path keeps the books true. Each test is one way the books could be made to contradict
themselves (dates outside an object's life, limits on an earlier date, corrections beside the
domain, the SiSa lifecycle out of order, rules per instrument, conversions and reservations), run
on SQLite and PostgreSQL; each asserts the refusal's code and that the books still tie out."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from api.statements.service import import_statement
from ledger.db.rows import load_entries
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.money import Money
from ledger.regio.db.corrections import refuse_owned
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot, spending_ends
from ledger.regio.model import Beschikking, Instrument, Organisation, OrganisationType, Who
from ledger.regio.model import FundingSource as Source
from reports.listings import beschikking_rows
from reports.reconciliation import build_tranche_reconciliation
from sisa.explain import explain_figure
from sisa.service import add_toelichting, export_sisa, submit_sisa
from tests.scenarios.flow import (
    GRONINGEN,
    OFFICER,
    build_world,
    eur,
    saba_beschikking,
    saba_deal,
    zwolle_beschikking,
    zwolle_deal,
    zwolle_world,
)
from tests.statements.builders import openpyxl_workbook

NUMMER = "RD-2024-001"


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    zwolle_world(service, paid="12000000.00")
    return service


def refused(code: str, call, *args, **kwargs) -> LedgerError:
    with pytest.raises(LedgerError) as caught:
        call(*args, **kwargs)
    assert code in [p.code for p in caught.value.problems], caught.value.problems
    return caught.value


def reconciliation(ledger: LedgerService, as_of: date = date.max):
    with UnitOfWork(ledger.engine) as uow:
        return build_tranche_reconciliation(load_snapshot(uow.connection, as_of))


def tranche(ledger: LedgerService, code: str, as_of: date = date.max):
    return next(
        t for e in reconciliation(ledger, as_of).envelopes for t in e.tranches if t.code == code
    )


def books_are_true(ledger: LedgerService, *days: date) -> None:
    assert ledger.verify().ok
    for day in (*days, date.max):
        assert reconciliation(ledger, day).ties_out, day


def rows_of(content: bytes) -> dict[str, list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return {row[1]: list(row) for row in sheet.iter_rows(min_row=8, values_only=True) if row[1]}


# --- dates inside each object's life ----------------------------------------------------------------


def test_a_tranche_6_deal_dated_before_its_budget_is_refused_and_no_earlier_report_goes_negative(
    ledger,
):
    regio = RegioService(ledger.engine)
    build_world(regio)  # T6 receives its budget on 2022-01-01
    early = zwolle_deal(
        code="T6-EARLY", tranche="T6", rijksbijdrage=eur("20000000.00"), signed_on=date(2021, 6, 1)
    )
    error = refused("outside_envelope_period", regio.sign_deal, early, key="early", who=OFFICER)
    assert "2021-06-01" in error.problems[0].message
    assert tranche(ledger, "T6", date(2021, 12, 31)).available.amount == 0
    books_are_true(ledger, date(2021, 12, 31))


def test_a_deal_before_its_reservation_had_budget_names_both_dates(ledger):
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.reserve(GRONINGEN, eur("100000000.00"), on=date(2024, 1, 1), key="res", who=OFFICER)
    early = zwolle_deal(code="GRONINGEN-I", reservation="T5-GRONINGEN", signed_on=date(2023, 6, 1))
    error = refused("deal_before_budget", regio.sign_deal, early, key="gr", who=OFFICER)
    assert "2023-06-01" in error.problems[0].message and "2024-01-01" in error.problems[0].message
    books_are_true(ledger, date(2023, 6, 1))


@pytest.mark.parametrize("paid_on", [date(1900, 1, 1), date(2019, 6, 1), date(2024, 8, 31)])
def test_a_payment_before_the_decision_is_refused(regio, ledger, paid_on):
    error = refused(
        "payment_before_decision",
        regio.pay,
        NUMMER,
        eur("1.00"),
        on=paid_on,
        key="early",
        who=OFFICER,
    )
    assert str(paid_on) in error.problems[0].message and "2024-09-01" in error.problems[0].message
    assert (
        ledger.balance(f"beschikking:{NUMMER}:unpaid", as_of=date(2024, 6, 1)).balance.amount == 0
    )
    books_are_true(ledger, date(2024, 6, 1), date(2024, 9, 1))


def test_a_beschikking_before_its_deals_signing_or_past_its_end_is_refused(ledger):
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)  # signed 2024-07-01, ends 2028-12-31
    refused(
        "decided_before_signing",
        regio.grant,
        zwolle_beschikking(decided_on=date(2024, 6, 30), spending_starts_on=date(2024, 6, 30)),
        key="g",
        who=OFFICER,
    )
    refused(
        "spending_past_deal_end",
        regio.grant,
        zwolle_beschikking(spending_ends_on=date(2029, 1, 1)),
        key="g2",
        who=OFFICER,
    )
    refused(
        "outside_envelope_period",
        regio.grant,
        zwolle_beschikking(decided_on=date(2026, 1, 2), spending_starts_on=date(2026, 1, 2)),
        key="g3",
        who=OFFICER,
    )
    books_are_true(ledger)


def test_spending_outside_the_spending_period_is_refused(regio, ledger):
    refused(
        "outside_spending_period",
        regio.record_spending,
        NUMMER,
        2024,
        Source.RIJK,
        eur("1.00"),
        on=date(2024, 8, 1),
        key="s",
        who=OFFICER,
    )
    refused(
        "outside_spending_period",
        regio.record_spending,
        NUMMER,
        2028,
        Source.RIJK,
        eur("1.00"),
        on=date(2028, 1, 2),
        key="s2",
        who=OFFICER,
    )


def test_a_reversal_dated_before_its_entry_is_refused(ledger):
    from ledger.entries import reverse_entry

    regio = RegioService(ledger.engine)
    build_world(regio)
    original = load_entries_by_key(ledger, "allocate-T5")
    early = reverse_entry(
        original, key="rev", actor="fo", reason="test", effective_on=date(2021, 12, 31)
    )
    refused("reversal_before_entry", ledger.post, early)


def load_entries_by_key(ledger: LedgerService, key: str):
    with UnitOfWork(ledger.engine) as uow:
        return load_entries(uow.connection, keys=[key])[0].to_entry()


# --- limits on every effective date ----------------------------------------------------------------


def test_a_back_dated_payment_that_would_overdraw_an_earlier_date_is_refused_naming_it(ledger):
    regio = RegioService(ledger.engine)
    zwolle_world(regio)
    regio.pay(NUMMER, eur("30000000.00"), on=date(2025, 3, 1), key="all", who=OFFICER)
    error = refused(
        "overpayment", regio.pay, NUMMER, eur("1.00"), on=date(2024, 10, 1), key="more", who=OFFICER
    )
    assert "NUMMER" not in error.problems[0].message
    books_are_true(ledger, date(2024, 10, 1), date(2025, 3, 1))


def test_a_back_dated_shift_that_leaves_a_later_deal_uncovered_is_refused_as_of_that_date(ledger):
    regio = RegioService(ledger.engine)
    build_world(regio, tranche_budget="30000000.00")
    regio.sign_deal(
        zwolle_deal(signed_on=date(2024, 7, 1)), key="sign", who=OFFICER
    )  # takes all of T5
    regio.allocate("T5", eur("5000000.00"), on=date(2025, 1, 1), key="more", who=OFFICER)
    # on 2024-12-01 the tranche had nothing left: taking money out then would make it negative
    error = refused(
        "limit_exceeded_as_of",
        regio.shift,
        "T5",
        "T6",
        eur("5000000.00"),
        on=date(2024, 12, 1),
        key="shift",
        who=OFFICER,
    )
    problem = error.problems[0]
    assert problem.details["as_of"] == date(2024, 12, 1)
    assert "1 december 2024" in problem.message_nl and "tranche:" not in problem.message_nl
    assert problem.details["limit"] == "tranche_overcommitted"
    regio.shift("T5", "T6", eur("5000000.00"), on=date(2025, 1, 1), key="shift-ok", who=OFFICER)
    books_are_true(ledger, date(2024, 12, 1), date(2025, 1, 1))


def test_a_region_overspending_its_grant_reads_euros_not_account_codes(regio, ledger):
    error = refused(
        "spending_exceeds_grant",
        regio.record_spending,
        NUMMER,
        2025,
        Source.RIJK,
        eur("30000000.01"),
        on=date(2025, 6, 1),
        key="over",
        who=OFFICER,
    )
    problem = error.problems[0]
    for message in (problem.message, problem.message_nl):
        assert (
            "beschikking:" not in message
            and ":unspent" not in message
            and "over" not in message.split()
        )
    said = problem.message_nl.replace("\xa0", " ")
    assert "€ 0,01 tekort" in said and "€ 30.000.000,00 beschikbaar" in said
    assert problem.account is None and problem.entry is None


# --- corrections through the domain -------------------------------------------------------------------


def entry_of(ledger: LedgerService, key: str) -> int:
    with UnitOfWork(ledger.engine) as uow:
        return load_entries(uow.connection, keys=[key])[0].sequence


def refuse_reversal(ledger: LedgerService, entry: int) -> LedgerError:
    with UnitOfWork(ledger.engine) as uow:
        return refused("correct_through_domain", refuse_owned, uow.connection, entry)


def test_a_convenants_entry_cannot_be_reversed_alone_and_is_amended_through_the_deal(regio, ledger):
    error = refuse_reversal(ledger, entry_of(ledger, "sign"))
    assert "deals/{code}/amendments" in error.problems[0].message
    refused(
        "below_granted",
        regio.amend_deal,
        "ZWOLLE-II",
        eur("20000000.00"),
        on=date(2024, 10, 1),
        key="a",
        who=OFFICER,
    )
    regio.amend_beschikking(NUMMER, eur("25000000.00"), on=date(2024, 10, 1), key="w", who=OFFICER)
    regio.amend_deal("ZWOLLE-II", eur("25000000.00"), on=date(2024, 10, 2), key="a2", who=OFFICER)
    t5 = tranche(ledger, "T5")
    assert t5.committed.amount == 25000000 and t5.granted.amount == 25000000
    books_are_true(ledger, date(2024, 9, 30), date(2024, 10, 1), date(2024, 10, 2))


def test_a_withdrawn_deal_gives_its_money_back_and_takes_no_grant(ledger):
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.withdraw_deal("ZWOLLE-II", on=date(2024, 8, 1), key="wd", who=OFFICER)
    refused("deal_withdrawn", regio.grant, zwolle_beschikking(), key="g", who=OFFICER)
    assert tranche(ledger, "T5").committed.amount == 0
    assert tranche(ledger, "T5", date(2024, 7, 15)).committed.amount == 30000000
    books_are_true(ledger, date(2024, 7, 15), date(2024, 8, 1))


def test_a_wijzigingsbeschikking_lowers_the_grant(regio, ledger):
    # Below what was paid it reclaims the excess: tests/scenarios/test_accountability.py.
    regio.amend_beschikking(NUMMER, eur("20000000.00"), on=date(2024, 10, 1), key="w2", who=OFFICER)
    assert ledger.balance("deal:ZWOLLE-II:ungranted").balance.amount == 10000000
    assert ledger.balance(f"beschikking:{NUMMER}:unpaid").balance.amount == 8000000
    with UnitOfWork(ledger.engine) as uow:
        [row] = beschikking_rows(
            load_snapshot(uow.connection, date.max), spending_ends(uow.connection)
        )
    assert row.granted.amount == 20000000 and row.beschikking.amount.amount == 30000000
    books_are_true(ledger, date(2024, 9, 30), date(2024, 10, 1))


def test_a_wrong_payment_is_corrected_through_its_own_operation(regio, ledger):
    entry = entry_of(ledger, "pay")
    refuse_reversal(ledger, entry)
    regio.correct_payment(NUMMER, entry, on=date(2024, 9, 20), key="c", who=OFFICER)
    assert ledger.balance(f"beschikking:{NUMMER}:paid").balance.amount == 0
    refused(
        "already_corrected",
        regio.correct_payment,
        NUMMER,
        entry,
        on=date(2024, 9, 21),
        key="c2",
        who=OFFICER,
    )
    books_are_true(ledger, date(2024, 9, 15), date(2024, 9, 20))


def statement(rows: list[list]) -> bytes:
    return openpyxl_workbook(rows)


LINES = [["RD-2024-001", "01-03-2025", "Factuur", "Rijk", "2.700.000,00", None, None, "F1"]]


def test_a_withdrawn_statement_stops_counting_everywhere_and_can_be_handed_in_again(regio, ledger):
    first = import_statement(
        ledger.engine, NUMMER, 2025, statement(LINES), filename="s.xlsx", uploader="GM-ZWOLLE"
    )
    public_id = first.booked.statement_id
    booked_entry = first.booked.entry
    refuse_reversal(ledger, booked_entry)
    assert explain_figure(ledger.engine, 2025, NUMMER, "02")["figure"] == 2700000
    regio.withdraw_statement(
        NUMMER,
        public_id,
        key="wd",
        who=Who("GM-ZWOLLE", "verkeerd bestand"),
        organisation="GM-ZWOLLE",
    )
    found = explain_figure(ledger.engine, 2025, NUMMER, "02")
    assert found["figure"] == 0 and found["statement_lines"] == []
    again = import_statement(
        ledger.engine, NUMMER, 2025, statement(LINES), filename="s.xlsx", uploader="GM-ZWOLLE"
    )
    assert again.booked is not None and again.booked.statement_id != public_id
    assert explain_figure(ledger.engine, 2025, NUMMER, "02")["figure"] == 2700000
    books_are_true(ledger)


def test_a_region_cannot_withdraw_another_regions_statement(regio, ledger):
    first = import_statement(
        ledger.engine, NUMMER, 2025, statement(LINES), filename="s.xlsx", uploader="GM-ZWOLLE"
    )
    refused(
        "beschikking_not_found",
        regio.withdraw_statement,
        NUMMER,
        first.booked.statement_id,
        key="wd",
        who=Who("PV-OVERIJSSEL", "niet van ons"),
        organisation="PV-OVERIJSSEL",
    )


def test_after_eindverantwoording_only_the_sisa_correction_procedure_changes_the_year(
    regio, ledger
):
    first = import_statement(
        ledger.engine, NUMMER, 2025, statement(LINES), filename="s.xlsx", uploader="GM-ZWOLLE"
    )
    regio.mark_final(
        NUMMER, 2025, key="final:2025", who=OFFICER, toelichting="Afgerond binnen het budget."
    )
    refuse_reversal(ledger, first.booked.entry)
    refused(
        "year_final",
        regio.withdraw_statement,
        NUMMER,
        first.booked.statement_id,
        key="wd",
        who=OFFICER,
    )
    refused(
        "year_final",
        regio.record_spending,
        NUMMER,
        2025,
        Source.RIJK,
        eur("-100.00"),
        on=date(2025, 12, 1),
        key="late",
        who=OFFICER,
    )
    submit_sisa(ledger.engine, 2025, "xlsx", actor="fo")
    regio.correct_final_year(
        NUMMER,
        2025,
        Source.RIJK,
        eur("-100000.00"),
        on=date(2026, 2, 1),
        key="corr",
        who=Who("fo", "accountantscontrole: factuur F1 was te hoog"),
    )
    content, export = export_sisa(ledger.engine, 2025, "xlsx")
    assert [(c.indicator.split("/")[-1], c.was, c.wordt) for c in export.corrections][0] == (
        "02",
        2700000,
        2600000,
    )
    assert "factuur F1" in export.corrections[0].reden
    assert rows_of(content)[NUMMER][2] == 2600000
    books_are_true(ledger)


# --- the SiSa lifecycle in order ---------------------------------------------------------------


def test_eindverantwoording_without_a_required_toelichting_is_refused_at_the_door(regio, ledger):
    regio.record_spending(
        NUMMER, 2025, Source.RIJK, eur("10.00"), on=date(2025, 3, 1), key="s", who=OFFICER
    )
    refused("toelichting_required", regio.mark_final, NUMMER, 2025, key="f", who=OFFICER)
    add_toelichting(ledger.engine, NUMMER, 2025, "Eerste versie", key="t1", who=OFFICER)
    add_toelichting(
        ledger.engine, NUMMER, 2025, "Het project is eerder afgerond", key="t2", who=OFFICER
    )
    regio.mark_final(NUMMER, 2025, key="f", who=OFFICER)
    content, export = export_sisa(ledger.engine, 2025, "xlsx")
    assert rows_of(content)[NUMMER][-1] == "Het project is eerder afgerond"
    submit_sisa(ledger.engine, 2025, "xlsx", actor="fo")
    refused(
        "already_submitted",
        add_toelichting,
        ledger.engine,
        NUMMER,
        2025,
        "Te laat",
        key="t3",
        who=OFFICER,
    )


def test_one_recipients_failing_row_never_blocks_another_recipients_export(ledger):
    regio = RegioService(ledger.engine)
    zwolle_world(regio, paid="1000000.00")
    regio.sign_deal(zwolle_deal(code="OVERIJSSEL", pledges=()), key="sign2", who=OFFICER)
    regio.grant(
        zwolle_beschikking(nummer="RD-2024-002", deal="OVERIJSSEL", recipient="PV-OVERIJSSEL"),
        key="g2",
        who=OFFICER,
    )
    regio.record_spending(
        NUMMER, 2024, Source.RIJK, eur("30000000.00"), on=date(2024, 10, 1), key="all", who=OFFICER
    )
    regio.record_spending(
        "RD-2024-002", 2024, Source.RIJK, eur("500.00"), on=date(2024, 10, 1), key="b", who=OFFICER
    )
    regio.mark_final(
        NUMMER, 2024, key="final", who=OFFICER
    )  # all of the grant spent: no toelichting needed
    # the SiSa correction procedure then lowers the final year: its row now needs a toelichting
    regio.correct_final_year(
        NUMMER,
        2024,
        Source.RIJK,
        eur("-100.00"),
        on=date(2025, 2, 1),
        key="down",
        who=Who("fo", "factuur dubbel geteld"),
    )
    for output in ("xlsx", "json"):
        content, export = export_sisa(ledger.engine, 2024, output)
        assert content is not None, export.problems
        assert [r.nummer for r in export.rows] == ["RD-2024-002"]
        [problem] = export.refused
        assert (problem.recipient, problem.nummer) == ("GM-ZWOLLE", NUMMER)
        assert "toelichting" in problem.message.lower()
    add_toelichting(
        ledger.engine, NUMMER, 2024, "Een factuur was dubbel geteld.", key="t", who=OFFICER
    )
    _, export = export_sisa(ledger.engine, 2024, "json")
    assert [r.nummer for r in export.rows] == [NUMMER, "RD-2024-002"] and export.refused == []


def test_a_second_eindverantwoording_is_refused(regio, ledger):
    regio.mark_final(NUMMER, 2025, key="final:2025", who=OFFICER, toelichting="Eerder afgerond.")
    regio.mark_final(
        NUMMER, 2025, key="final:2025", who=OFFICER, toelichting="Eerder afgerond."
    )  # a retry
    refused(
        "already_final",
        regio.mark_final,
        NUMMER,
        2026,
        key="final:2026",
        who=OFFICER,
        toelichting="Nog eens.",
    )
    refused("idempotency_conflict", regio.mark_final, NUMMER, 2026, key="final:2025", who=OFFICER)


@pytest.mark.today("2029-06-30")  # the whole life, to after the spending period
def test_vaststelling_waits_for_eindverantwoording_or_an_ambtshalve_decision_after_the_period(
    regio, ledger
):
    refused(
        "settlement_needs_final", regio.settle, NUMMER, on=date(2025, 6, 1), key="v", who=OFFICER
    )
    refused(
        "settlement_too_early",
        regio.settle,
        NUMMER,
        on=date(2025, 6, 1),
        key="v",
        who=OFFICER,
        ambtshalve="geen verantwoording ontvangen",
    )
    regio.settle(
        NUMMER,
        on=date(2028, 3, 1),
        key="v",
        who=OFFICER,
        ambtshalve="geen verantwoording ontvangen",
    )
    books_are_true(ledger, date(2028, 3, 1))


def test_previews_record_nothing_and_corrections_compare_with_the_last_submission(regio, ledger):
    regio.record_spending(
        NUMMER, 2025, Source.RIJK, eur("1000.00"), on=date(2025, 3, 1), key="s1", who=OFFICER
    )
    submit_sisa(ledger.engine, 2025, "xlsx", actor="fo")
    regio.correct_final_year(  # a submitted year changes by the correction procedure only
        NUMMER,
        2025,
        Source.RIJK,
        eur("500.00"),
        on=date(2026, 4, 1),
        key="s2",
        who=Who("fo", "tweede factuur"),
    )
    for output in ("json", "csv", "xlsx", "xlsx"):  # previews, as often as anyone likes
        _, preview = export_sisa(ledger.engine, 2025, output)
        assert [(c.was, c.wordt) for c in preview.corrections][0] == (1000, 1500)
    result = submit_sisa(ledger.engine, 2025, "xlsx", actor="fo")
    assert [s.recipient for s in result.submitted] == ["GM-ZWOLLE"]
    _, after = export_sisa(ledger.engine, 2025, "json")
    assert after.corrections == []


# --- rules per instrument, BU, annexes ---------------------------------------------------------------


def test_each_instrument_goes_to_its_own_recipients_in_its_own_currency(ledger):
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.add_organisation(Organisation("WGR-REGIO", "Regio Zwolle (Wgr)", OrganisationType.WGR))
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.sign_deal(saba_deal(), key="saba", who=OFFICER)
    bu_in_euros = Beschikking(
        "BU-EUR",
        "ZWOLLE-II",
        Instrument.BU,
        "GM-ZWOLLE",
        eur("100.00"),
        date(2024, 9, 1),
        date(2024, 9, 1),
        date(2027, 12, 31),
    )
    refused("currency_not_allowed", regio.grant, bu_in_euros, key="a", who=OFFICER)
    bu_to_a_gemeente = saba_beschikking()
    bu_to_a_gemeente = Beschikking(
        **{**bu_to_a_gemeente.__dict__, "nummer": "BU-ZWOLLE", "recipient": "GM-ZWOLLE"}
    )
    refused("recipient_not_allowed", regio.grant, bu_to_a_gemeente, key="a2", who=OFFICER)
    refused(
        "recipient_not_allowed",
        regio.grant,
        zwolle_beschikking(
            nummer="SPUK-SABA", deal="SABA", recipient="OL-SABA", amount=eur("100.00")
        ),
        key="b",
        who=OFFICER,
    )
    refused(
        "recipient_not_allowed",
        regio.grant,
        zwolle_beschikking(nummer="DU-WGR", instrument=Instrument.DU, recipient="WGR-REGIO"),
        key="c",
        who=OFFICER,
    )
    regio.grant(
        zwolle_beschikking(nummer="SPUK-WGR", recipient="WGR-REGIO", amount=eur("100.00")),
        key="d",
        who=OFFICER,
    )
    books_are_true(ledger)


def test_the_bu_is_its_own_accountability_in_dollars_and_no_annex_names_a_repo_file(ledger):
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.sign_deal(saba_deal(), key="saba", who=OFFICER)
    regio.grant(saba_beschikking(), key="bu", who=OFFICER)
    regio.record_spending(
        "BU-SABA-1",
        2025,
        Source.RIJK,
        Money.of("1234.56", "USD"),
        on=date(2025, 3, 1),
        key="s",
        who=OFFICER,
    )
    content, export = export_sisa(ledger.engine, 2025, "xlsx", instrument="BU")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    title = " ".join(str(c.value) for row in sheet.iter_rows(max_row=6) for c in row if c.value)
    assert "bijzondere uitkering" in title and "specifieke uitkering" not in title
    assert sheet.title == "BU 2025"  # its own basis, not SiSa
    assert sheet.cell(row=1, column=1).value.startswith(
        "Verantwoording bijzondere uitkering (Wet FinBES"
    )
    cell = sheet.cell(row=8, column=3)
    assert cell.value == 1235 and "$" in cell.number_format and "€" not in cell.number_format
    for instrument in ("SPUK", "BU"):
        _, built = export_sisa(ledger.engine, 2025, "json", instrument=instrument)
        assert ".md" not in built.annex.source and "shared/" not in built.annex.source


# --- reservations and conversions shown as they are -------------------------------------------------


def test_a_tranches_available_money_is_split_into_free_and_reserved_unused(ledger):
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.reserve(GRONINGEN, eur("100000000.00"), on=date(2024, 1, 1), key="res", who=OFFICER)
    regio.sign_deal(
        zwolle_deal(
            code="GRONINGEN-I", reservation="T5-GRONINGEN", rijksbijdrage=eur("60000000.00")
        ),
        key="gr",
        who=OFFICER,
    )
    t5 = tranche(ledger, "T5")
    assert t5.available_reserved.amount == 40000000
    assert t5.available_free.amount == 300600000 - 100000000
    assert t5.available == t5.available_free + t5.available_reserved
    books_are_true(ledger)


def test_a_du_converted_into_a_spuk_is_linked_and_never_counted_twice(ledger):
    regio = RegioService(ledger.engine)
    build_world(regio)
    regio.sign_deal(
        zwolle_deal(rijksbijdrage=eur("10000000.00"), pledges=()), key="sign", who=OFFICER
    )
    du = zwolle_beschikking(nummer="DU-1", instrument=Instrument.DU, amount=eur("10000000.00"))
    regio.grant(du, key="du", who=OFFICER)
    regio.pay("DU-1", eur("4000000.00"), on=date(2024, 10, 1), key="pay", who=OFFICER)
    with UnitOfWork(ledger.engine) as uow:
        remaining = regio.unpaid_of(uow.connection, "DU-1")
    spuk = zwolle_beschikking(
        nummer="SPUK-1",
        amount=remaining,
        decided_on=date(2025, 1, 1),
        spending_starts_on=date(2025, 1, 1),
        converted_from="DU-1",
    )
    regio.convert_du_to_spuk("DU-1", spuk, on=date(2025, 1, 1), key="conv", who=OFFICER)
    with UnitOfWork(ledger.engine) as uow:
        rows = {
            r.beschikking.nummer: r
            for r in beschikking_rows(
                load_snapshot(uow.connection, date.max), spending_ends(uow.connection)
            )
        }
    assert (
        rows["DU-1"].converted_to == "SPUK-1"
        and rows["SPUK-1"].beschikking.converted_from == "DU-1"
    )
    assert rows["DU-1"].granted.amount == 4000000 and rows["SPUK-1"].granted.amount == 6000000
    assert sum(r.granted.amount for r in rows.values()) == 10000000
    assert tranche(ledger, "T5").granted.amount == 10000000
    books_are_true(ledger, date(2024, 12, 31), date(2025, 1, 1))


def test_an_extension_past_the_deals_end_needs_the_deals_looptijd_extended_first(regio, ledger):
    refused(
        "extension_past_deal_end",
        regio.extend,
        NUMMER,
        date(2029, 6, 30),
        on=date(2025, 1, 1),
        key="e",
        who=OFFICER,
    )
    regio.extend_deal(
        "ZWOLLE-II", date(2029, 12, 31), on=date(2025, 1, 1), key="looptijd", who=OFFICER
    )
    regio.extend(NUMMER, date(2029, 6, 30), on=date(2025, 1, 2), key="e", who=OFFICER)


def test_rules_are_data_with_their_basis(ledger):
    from ledger.regio.rules import rules_as_data

    document = rules_as_data()
    by = {r["instrument"]: r for r in document["instruments"]}
    assert by["SPUK"]["recipients"] == ["gemeente", "provincie", "wgr"]
    assert by["DU"]["recipients"] == ["gemeente", "provincie"]
    assert by["BU"]["recipients"] == ["openbaar_lichaam_bes"] and by["BU"]["currency"] == "USD"
    assert by["DO"]["recipients"] == ["rijk"]
    assert all(r["basis"] for r in document["instruments"]) and all(
        c["basis"] for c in document["cofinancing"]
    )
    tranche_3, later = document["cofinancing"]
    assert not tranche_3["counts_private"] and later["counts_private"] and later["counts_in_kind"]
