"""Accountability off the happy path, as a municipal controller and the region's accountant try
it: each scenario replays a way the books could be made to disagree with what was handed in or
with the calendar, and shows it refused, on SQLite and PostgreSQL, with the journal, the reports
and ``verify`` agreeing afterwards. "Today" is the suite's fixed day (6 December 2026,
``tests/conftest.TEST_TODAY``) unless a scenario says otherwise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.http.sisa_status import sisa_status_rows
from api.http.users import add_user
from api.statements.service import import_statement
from ledger.clock import today
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import load_snapshot, spending_ends
from ledger.regio.model import FundingSource as Source
from ledger.regio.model import SisaStatus, Who
from reports.listings import beschikking_rows
from reports.reconciliation import build_tranche_reconciliation
from sisa.explain import explain_figure
from sisa.service import export_sisa, submit_sisa
from sisa.status import status_rows
from tests.scenarios.flow import OFFICER, eur, zwolle_world
from tests.statements.builders import openpyxl_workbook

NUMMER = "RD-2024-001"


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    zwolle_world(service, paid="6000000.00")
    return service


def refused(code: str, call, *args, **kwargs) -> LedgerError:
    with pytest.raises(LedgerError) as caught:
        call(*args, **kwargs)
    assert code in [p.code for p in caught.value.problems], caught.value.problems
    return caught.value


def paid_everywhere(ledger: LedgerService) -> set[str]:
    """What each view says was paid: `beschikkingen list` and the tranche reconciliation (as of
    today), the journal's own balance of the beschikking's paid account (any date) and the
    trial balance (which must balance)."""
    with UnitOfWork(ledger.engine) as uow:
        snapshot = load_snapshot(uow.connection, today())
        ends = spending_ends(uow.connection)
    listed = next(
        r for r in beschikking_rows(snapshot, ends) if r.beschikking.nummer == NUMMER
    ).paid
    dealt = next(
        d for d in build_tranche_reconciliation(snapshot).deals if d.deal.code == "ZWOLLE-II"
    )
    journal = ledger.balance(f"beschikking:{NUMMER}:paid")
    trial = ledger.trial_balance()
    assert trial.is_balanced
    [paid] = [b for b in trial.balances if b.account == f"beschikking:{NUMMER}:paid"]
    return {
        str(listed.amount),
        str(dealt.paid.amount),
        str(journal.balance.amount),
        str(paid.balance.amount),
    }


# --- nothing in the future ------------------------------------------------------------------------


def test_the_clock_is_the_suites_fixed_day():
    assert today() == date(2026, 12, 6)


def test_a_payment_dated_after_today_is_refused_and_names_today(regio, ledger):
    before = ledger.verify()
    error = refused(
        "future_date",
        regio.pay,
        NUMMER,
        eur("1000000.00"),
        on=date(2027, 6, 1),
        key="p",
        who=OFFICER,
    )
    assert "2026-12-06" in error.problems[0].message and "2027-06-01" in error.problems[0].message
    after = ledger.verify()
    assert (after.ok, after.entries_checked) == (True, before.entries_checked)


def test_a_payment_dated_after_today_is_refused_over_http(regio, ledger, database_url):
    token = add_user(ledger.engine, "fo", "finance")
    with TestClient(create_app(database_url)) as client:
        answer = client.post(
            f"/api/v1/beschikkingen/{NUMMER}/payments",
            json={"amount": "1000000.00", "paid_on": "2027-06-01", "reason": "voorschot"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 409 and answer.json()["code"] == "future_date"


def test_officer_spending_dated_after_today_is_refused(regio):
    refused(
        "future_date",
        regio.record_spending,
        NUMMER,
        2027,
        Source.RIJK,
        eur("10.00"),
        on=date(2027, 10, 1),
        key="s",
        who=OFFICER,
    )


def test_a_statement_for_a_year_that_has_not_ended_is_refused(regio, ledger):
    workbook = openpyxl_workbook(
        [[NUMMER, date(2026, 3, 1), "Factuur", "Rijk", 1000.0, None, "A", "F1"]]
    )
    error = refused(
        "year_not_ended",
        import_statement,
        ledger.engine,
        NUMMER,
        2026,
        workbook,
        filename="opgave.xlsx",
        uploader="GM-ZWOLLE",
    )
    assert "1 January 2027" in error.problems[0].message


@pytest.mark.today("2028-01-02")
def test_a_statement_for_a_year_that_has_ended_is_taken(regio, ledger):
    """The same beschikking a year later: 2027 has ended, its statement books (and its lines,
    all inside 2027, are before today by that rule alone)."""
    good = openpyxl_workbook(
        [[NUMMER, date(2027, 9, 1), "Factuur", "Rijk", 1000.0, None, "A", "F1"]]
    )
    booked = import_statement(
        ledger.engine, NUMMER, 2027, good, filename="opgave.xlsx", uploader="GM-ZWOLLE"
    )
    assert booked.problems == [] and booked.booked is not None


def test_an_eindverantwoording_before_its_year_ended_is_refused(regio):
    error = refused(
        "year_not_ended",
        regio.mark_final,
        NUMMER,
        2026,
        key="f",
        who=OFFICER,
        toelichting="Afgerond.",
    )
    assert error.problems[0].details["today"] == "2026-12-06"


def test_no_verlenging_after_eindverantwoording(regio):
    regio.mark_final(NUMMER, 2025, key="f", who=OFFICER, toelichting="Eerder afgerond.")
    refused(
        "already_final",
        regio.extend,
        NUMMER,
        date(2029, 12, 31),
        on=date(2026, 11, 1),
        key="v",
        who=OFFICER,
    )


def test_nothing_refused_left_a_trace_in_any_view(regio, ledger):
    for call in (
        lambda: regio.pay(NUMMER, eur("1000000.00"), on=date(2027, 6, 1), key="p", who=OFFICER),
        lambda: regio.record_spending(
            NUMMER, 2027, Source.RIJK, eur("10.00"), on=date(2027, 10, 1), key="s", who=OFFICER
        ),
    ):
        with pytest.raises(LedgerError):
            call()
    assert paid_everywhere(ledger) == {"6000000.00"}
    assert ledger.verify().ok


# --- amendments in recorded order -----------------------------------------------------------------


def test_an_amendment_dated_before_a_recorded_one_is_refused(regio, ledger):
    """A deal amended from €30M to €40M on 2026-06-04, then to €35M dated 2025-04-02: refused,
    naming the later one; no as-of view ever shows a figure no convenant had."""
    regio.amend_deal("ZWOLLE-II", eur("40000000.00"), on=date(2026, 6, 4), key="a1", who=OFFICER)
    error = refused(
        "amendment_out_of_order",
        regio.amend_deal,
        "ZWOLLE-II",
        eur("35000000.00"),
        on=date(2025, 4, 2),
        key="a2",
        who=OFFICER,
    )
    assert error.problems[0].details["later"] == "a1"
    for day in (date(2025, 12, 31), date(2026, 12, 6)):
        with UnitOfWork(ledger.engine) as uow:
            deal = next(
                d for d in load_snapshot(uow.connection, day).deals if d.code == "ZWOLLE-II"
            )
        assert deal.rijksbijdrage == {2025: eur("30000000.00"), 2026: eur("40000000.00")}[day.year]
    regio.amend_deal("ZWOLLE-II", eur("45000000.00"), on=date(2026, 6, 4), key="a3", who=OFFICER)


# --- a submitted year is frozen ---------------------------------------------------------------


def statement_of(year: int, amount: str, invoice: str = "F1") -> bytes:
    return openpyxl_workbook(
        [[NUMMER, f"01-10-{year}", "Factuur", "Rijk", amount, None, None, invoice]]
    )


def hand_in(ledger: LedgerService, year: int, amount: str, invoice: str = "F1"):  # noqa: ANN201
    return import_statement(
        ledger.engine,
        NUMMER,
        year,
        statement_of(year, amount, invoice),
        filename=f"opgave-{year}.xlsx",
        uploader="GM-ZWOLLE",
    )


def correct_invoice_f1(regio: RegioService) -> None:
    """The accountant found invoice F1 of 2025 €50,000 too high: corrected through the SiSa
    procedure, dated today."""
    regio.correct_final_year(
        NUMMER,
        2025,
        Source.RIJK,
        eur("-50000.00"),
        on=today(),
        key="corr",
        who=Who("fo", "accountantscontrole: factuur F1 was te hoog"),
    )


def test_a_submitted_year_does_not_move(regio, ledger):
    """Gemeente Zwolle submits 2025 (Rijk spending €2.0M); then a different 2025 workbook, the
    2025 statement's withdrawal and an officer's spending dated in 2025 are each refused, naming
    the submission and what to do instead; the correction procedure, dated today, is the way,
    and the submission is still reproduced exactly from the books as of its moment."""
    first = hand_in(ledger, 2025, "2.000.000,00")
    [submission] = submit_sisa(ledger.engine, 2025, "xlsx", actor="GM-ZWOLLE").submitted
    replaced = hand_in(ledger, 2025, "2.600.000,00", "F2")  # kept as a refused upload
    assert [p.code for p in replaced.problems] == ["year_submitted"] and replaced.booked is None
    refused(
        "year_submitted",
        regio.withdraw_statement,
        NUMMER,
        first.booked.statement_id,
        key="wd",
        who=OFFICER,
    )
    for day in (date(2025, 12, 31), date(2024, 12, 1)):  # the year, and one its cumulative holds
        refused(
            "year_submitted",
            regio.record_spending,
            NUMMER,
            day.year,
            Source.RIJK,
            eur("-50000.00"),
            on=day,
            key=f"s-{day.year}",
            who=OFFICER,
        )
    correct_invoice_f1(regio)
    _, now = export_sisa(ledger.engine, 2025, "xlsx")
    assert {(c.was, c.wordt) for c in now.corrections} == {(2000000, 1950000)}  # 02 and 03
    shown = explain_figure(ledger.engine, 2025, NUMMER, "02")  # what an auditor sees
    assert (shown["submitted"]["value"], shown["now"]) == (2000000, 1950000)
    assert shown["submitted"]["submission"] == submission.public_id
    [correction] = shown["since_submitted"]
    assert (correction["cents"], correction["actor"]) == (-5000000, "fo")
    assert "factuur F1 was te hoog" in correction["reason"] and correction["recorded_at"]
    then = explain_figure(ledger.engine, 2025, NUMMER, "02", submission.submitted_at)
    assert (then["submitted"]["value"], then["since_submitted"], then["now"]) == (
        2000000,
        [],
        2000000,
    )
    _, as_submitted = export_sisa(
        ledger.engine, 2025, "xlsx", recorded_as_of=submission.submitted_at
    )
    assert as_submitted.figures() == submission.figures  # reproduced exactly, as of its moment
    assert ledger.verify().ok


def test_after_the_correction_deadline_a_submitted_year_is_corrected_in_a_later_year(
    regio, ledger, database_url
):
    """Finance sets the deadline for corrections of 2025 (chapter 3.2 of the procedure) over
    HTTP; before it a correction after submission is made on 2025, after it it is refused,
    naming the deadline and the open year, and made there instead; a back-dated correction
    does not slip under it. The deadline is set once."""
    hand_in(ledger, 2025, "2.000.000,00")
    submit_sisa(ledger.engine, 2025, "xlsx", actor="GM-ZWOLLE")
    token = add_user(ledger.engine, "fo", "finance")
    body = {"until": "2026-10-01", "source": "Procedure aanlevering SiSa 2025, hoofdstuk 3.2"}
    with TestClient(create_app(database_url)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        put = client.put("/api/v1/sisa/2025/correction-deadline", json=body, headers=headers)
        assert put.status_code == 201 and put.json()["until"] == "2026-10-01", put.text
        again = client.put("/api/v1/sisa/2025/correction-deadline", json=body, headers=headers)
        assert again.status_code == 201  # the same again: a retry
        moved = {**body, "until": "2026-11-01"}
        other = client.put("/api/v1/sisa/2025/correction-deadline", json=moved, headers=headers)
        assert other.status_code == 409 and other.json()["code"] == "deadline_exists"
        early = {**body, "until": "2023-06-30"}
        inside = client.put("/api/v1/sisa/2023/correction-deadline", json=early, headers=headers)
        assert inside.status_code in (409, 422) and inside.json()["code"] == "invalid_deadline"
    for on in (today(), date(2026, 9, 30)):  # today, and back-dated before the deadline
        problem = refused(
            "correction_deadline_passed",
            regio.correct_final_year,
            NUMMER,
            2025,
            Source.RIJK,
            eur("-50000.00"),
            on=on,
            key=f"late-{on}",
            who=Who("fo", "factuur F1 was te hoog"),
        )
        assert "2026-10-01" in problem.problems[0].message and "2026" in problem.problems[0].message
    regio.record_spending(
        NUMMER, 2026, Source.RIJK, eur("100000.00"), on=date(2026, 11, 1), key="2026", who=OFFICER
    )
    regio.record_spending(  # what the refusal says to do: in the open year's figures
        NUMMER, 2026, Source.RIJK, eur("-50000.00"), on=today(), key="open", who=OFFICER
    )
    _, then = export_sisa(ledger.engine, 2025, "xlsx")
    assert then.corrections == []  # 2025 stands as submitted


@pytest.mark.today("2027-02-01")
def test_a_lower_cumulative_than_was_submitted_needs_a_toelichting(regio, ledger):
    """2025 was submitted with a cumulative Rijk spending of €2.0M and then corrected to €1.95M:
    the 2026 row (nothing spent in 2026) equals the ledger's 2025 but is below what was handed
    in for 2025, so it needs a toelichting, and without one it is refused and named."""
    hand_in(ledger, 2025, "2.000.000,00")
    submit_sisa(ledger.engine, 2025, "xlsx", actor="GM-ZWOLLE")
    _, before = export_sisa(ledger.engine, 2026, "json")
    [row] = [r for r in before.rows if r.nummer == NUMMER]
    assert (row.rijk_cumulative, row.toelichting_required) == (2000000, False)
    correct_invoice_f1(regio)
    _, after = export_sisa(ledger.engine, 2026, "json")
    assert NUMMER not in {r.nummer for r in after.rows}
    assert [(p.code, p.nummer) for p in after.refused] == [("toelichting_missing", NUMMER)]
    from api.http.users import Role, User
    from api.web.portal import year_context

    clerk = User("zwolle", Role.REGION, "GM-ZWOLLE")
    asked = year_context(ledger.engine, clerk, NUMMER, 2026)["why_row"]  # the portal asks too
    assert asked is not None and "ingediende verantwoording" in asked


def test_the_year_after_a_submission_stays_open(regio, ledger):
    hand_in(ledger, 2025, "2.000.000,00")
    submit_sisa(ledger.engine, 2025, "xlsx", actor="GM-ZWOLLE")
    regio.record_spending(
        NUMMER, 2026, Source.RIJK, eur("10.00"), on=date(2026, 11, 1), key="s", who=OFFICER
    )


# --- a recipient under two regelingen finishes its round ------------------------------------------


@pytest.fixture
def demo(ledger: LedgerService) -> LedgerService:
    from api.demo import load_demo

    load_demo(RegioService(ledger.engine))
    return ledger


def test_gemeente_zwolle_under_two_regelingen_submits_each_block_in_the_portal(demo, database_url):
    """Gemeente Zwolle (GM0193) has beschikkingen of tranches 1–3 and of 4–6, each under its own
    regeling: its 2025 rows page shows a block per regeling (no 409), each block is submitted on
    its own, and ``?regeling=`` narrows the page to one."""
    from sisa.service import regelingen_with_rows

    blocks = regelingen_with_rows(demo.engine, 2025, recipient="GM0193")
    assert len(blocks) == 2, blocks
    token = add_user(demo.engine, "clerk", "region", "GM0193")
    here = {"Origin": "http://testserver"}
    with TestClient(create_app(database_url)) as client:
        signed = client.post("/dashboard/signin", data={"token": token}, headers=here)
        assert signed.status_code == 200
        shown = client.get("/dashboard/sisa/2025/rows")
        assert shown.status_code == 200, shown.text[:300]
        assert shown.text.count('<section class="block"') == 2
        csrf = shown.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        for regeling in blocks:
            narrowed = client.get("/dashboard/sisa/2025/rows", params={"regeling": regeling})
            assert narrowed.text.count('<section class="block"') == 1
            done = client.post(
                "/dashboard/sisa/2025/submission",
                data={"csrf": csrf, "regeling": regeling},
                headers=here,
                follow_redirects=False,
            )
            assert done.status_code == 303, done.text[:300]
    with UnitOfWork(demo.engine) as uow:
        from sisa.db import submission_table

        rows = uow.connection.execute(
            submission_table.select().where(submission_table.c.recipient == "GM0193")
        ).all()
    assert sorted(r.regeling for r in rows) == sorted(blocks)


# --- lifecycle ------------------------------------------------------------------------------------


@pytest.mark.today("2029-06-30")
def test_no_sisa_row_in_or_after_the_year_of_an_ambtshalve_vaststelling(regio, ledger):
    """Settled ambtshalve on 1 March 2028, after its spending period (to 31 December 2027): its
    rows run to 2027; 2028 and 2029 have none."""
    from sisa.service import build_sisa_export

    regio.settle(
        NUMMER, on=date(2028, 3, 1), key="v", who=OFFICER, ambtshalve="geen verantwoording"
    )
    rows = {
        y: [r.nummer for r in build_sisa_export(ledger.engine, y).rows] for y in (2027, 2028, 2029)
    }
    assert rows == {2027: [NUMMER], 2028: [], 2029: []}


def test_a_wijzigingsbeschikking_below_what_was_paid_lowers_the_grant_and_reclaims_the_excess(
    regio, ledger
):
    """€30M granted, €6M paid, €1M spent: lowered to €4M on 1 November 2026, in one entry; €2M is
    to be reclaimed, €24M goes back to the deal, and a repayment then settles the reclaim."""
    regio.record_spending(
        NUMMER, 2025, Source.RIJK, eur("1000000.00"), on=date(2025, 6, 1), key="s", who=OFFICER
    )
    before = ledger.verify().entries_checked
    regio.amend_beschikking(NUMMER, eur("4000000.00"), on=date(2026, 11, 1), key="w", who=OFFICER)
    assert ledger.verify().entries_checked == before + 1  # one operation, one entry

    def balance(stage: str) -> str:
        return str(ledger.balance(f"beschikking:{NUMMER}:{stage}").balance.amount)

    assert (balance("paid"), balance("recoverable"), balance("unpaid")) == (
        "4000000.00",
        "2000000.00",
        "0.00",
    )
    with UnitOfWork(ledger.engine) as uow:
        snapshot = load_snapshot(uow.connection, today())
    deal = next(
        d for d in build_tranche_reconciliation(snapshot).deals if d.deal.code == "ZWOLLE-II"
    )
    assert str(deal.granted.amount) == "4000000.00"
    refused(  # never below what was spent from Rijk money
        "below_spent",
        regio.amend_beschikking,
        NUMMER,
        eur("500000.00"),
        on=date(2026, 11, 2),
        key="w2",
        who=OFFICER,
    )
    regio.repay(NUMMER, eur("2000000.00"), on=date(2026, 11, 20), key="r", who=OFFICER)
    assert (balance("recoverable"), balance("recovered")) == ("0.00", "2000000.00")
    assert ledger.verify().ok


# --- realised co-financing ------------------------------------------------------------------------


def spend_with_little_cofinancing(regio: RegioService) -> None:
    """€1.5M of Rijk money spent in 2025 against €0.1M of the province's (0.07)."""
    regio.record_spending(
        NUMMER, 2025, Source.RIJK, eur("1500000.00"), on=date(2025, 6, 1), key="r", who=OFFICER
    )
    regio.record_spending(
        NUMMER,
        2025,
        Source.COFINANCIERING_PUBLIEK,
        eur("100000.00"),
        on=date(2025, 6, 1),
        key="c",
        who=OFFICER,
        partner="PV-OVERIJSSEL",
    )


def test_a_realised_shortfall_is_flagged_beside_the_pledged_ratio(regio, ledger):
    """€1.5M of Rijk money spent against €0.1M of regional money (0.07): the pledges (€30M, 1.0)
    meet the rule, what was realised does not; the tranche reconciliation, the deal report and
    the SiSa status all say so, and a recorded exception would cover it."""
    from ledger.regio.db.snapshot import deal_statement_spending
    from reports.deal_report import build_deal_progress
    from sisa.status import status_rows

    spend_with_little_cofinancing(regio)
    with UnitOfWork(ledger.engine) as uow:
        snapshot = load_snapshot(uow.connection, today())
        lines = deal_statement_spending(uow.connection, snapshot, "ZWOLLE-II")
    [deal] = [d for d in build_tranche_reconciliation(snapshot).deals if d.deal.code == "ZWOLLE-II"]
    assert (deal.shortfall, deal.realised_shortfall) == (False, True)
    assert round(deal.realised_counted_ratio, 2) == Decimal("0.07")
    progress = build_deal_progress(snapshot, "ZWOLLE-II", lines).as_dict()
    assert progress["realised_shortfall"] is True
    with UnitOfWork(ledger.engine) as uow:
        [row] = [r for r in status_rows(uow.connection) if r.beschikking.nummer == NUMMER]
    assert row.cofinancing is not None and row.cofinancing.realised_shortfall is True
    assert round(row.cofinancing.realised_ratio, 2) == Decimal("0.07")
    assert row.cofinancing.pledged_ratio == Decimal(1)  # €30M counted against €30M: enough


@pytest.mark.today("2029-06-30")
def test_a_vaststelling_settles_what_the_realised_cofinancing_carries(regio, ledger):
    """€1.5M of Rijk money spent against €0.1M of public co-financing, settled after the
    spending period: tranche 5's rule carries €0.1M of Rijk money, so settling €1.5M is refused,
    naming what it carries and the two ways on; settled with the excess as ineligible it
    reclaims the excess of what was paid; an exception is recorded in the entry's reason."""
    spend_with_little_cofinancing(regio)
    ambtshalve = "na de bestedingsperiode, zonder eindverantwoording"
    problem = refused(
        "cofinancing_short_at_settlement",
        regio.settle,
        NUMMER,
        on=date(2029, 1, 10),
        key="v1",
        who=OFFICER,
        ambtshalve=ambtshalve,
    )
    assert "€100,000.00" in problem.problems[0].message
    assert "cofinancing_exception" in problem.problems[0].message
    regio.settle(
        NUMMER,
        on=date(2029, 1, 10),
        key="v2",
        who=OFFICER,
        ambtshalve=ambtshalve,
        ineligible=eur("1400000.00"),
    )

    def balance(stage: str) -> str:
        return str(ledger.balance(f"beschikking:{NUMMER}:{stage}").balance.amount)

    # €6M was paid: €0.1M settled, €5.9M reclaimed
    assert (balance("settled"), balance("recoverable")) == ("100000.00", "5900000.00")
    assert ledger.verify().ok


def test_a_cofinancing_exception_is_kept_with_the_vaststelling(ledger):
    regio = RegioService(ledger.engine)
    zwolle_world(regio, paid="1000000.00")
    regio.record_spending(
        NUMMER, 2025, Source.RIJK, eur("1000000.00"), on=date(2025, 6, 1), key="r", who=OFFICER
    )
    regio.mark_final(
        NUMMER, 2025, key="f", who=OFFICER, toelichting="Afgerond met minder dan beschikt."
    )
    posted = regio.settle(
        NUMMER,
        on=date(2026, 3, 1),
        key="v",
        who=OFFICER,
        cofinancing_exception="de provincie betaalde haar deel via een eigen regeling",
    )
    assert "cofinancing_exception: de provincie betaalde" in posted.reason
    assert str(ledger.balance(f"beschikking:{NUMMER}:settled").balance.amount) == "1000000.00"


@pytest.mark.parametrize("output_format", ["xlsx", "json", "csv"])
def test_one_export_of_a_year_holds_every_block(demo, database_url, output_format, tmp_path):
    """The demo's 2025 has rows under three regelingen as published (tranche 3's, with the SPUK
    converted from a tranche-1 DU; tranche 4's of 2023; the Besluit for tranches 5 and 6): one
    preview holds them all (a sheet per block,
    ``blocks`` in JSON, a ``blok`` column in CSV), each block as its own one-block export says;
    the auditor's GET and the command line no longer refuse; ``regeling`` narrows it to one."""
    import io
    import json

    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from api.cli.main import app
    from sisa.service import export_sisa_year, regelingen_with_rows

    blocks = regelingen_with_rows(demo.engine, 2025)
    assert blocks == ["RD-2023", "RD-BZK", "RD-T3"]
    content, year = export_sisa_year(demo.engine, 2025, output_format)
    assert content is not None and year.problems == [], year.problems
    alone = [export_sisa(demo.engine, 2025, "json", regeling=b)[1] for b in blocks]
    assert [b.figures() for b in year.blocks] == [a.figures() for a in alone]
    if output_format == "xlsx":
        sheets = load_workbook(io.BytesIO(content)).sheetnames
        assert [s for s in sheets if s.startswith("SiSa 2025 ")] == [
            f"SiSa 2025 {a.annex.code}"[:31] for a in alone
        ]
    elif output_format == "json":
        document = json.loads(content)
        assert [b["annex"]["code"] for b in document["blocks"]] == [a.annex.code for a in alone]
    else:
        lines = content.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("blok;ontvanger;")
        assert {line.split(";")[0] for line in lines[1:]} == {a.annex.code for a in alone}
    token = add_user(demo.engine, "accountant", "auditor")
    with TestClient(create_app(database_url)) as client:
        got = client.get(
            "/api/v1/sisa/2025",
            params={"format": output_format},
            headers={"Authorization": f"Bearer {token}"},
        )
        narrowed = client.get(
            "/api/v1/sisa/2025",
            params={"format": "json", "regeling": blocks[0]},
            headers={"Authorization": f"Bearer {token}"},
        )

    def cells(file: bytes) -> object:  # a workbook's bytes carry the moment it was written
        if output_format != "xlsx":
            return file
        return [list(sheet.values) for sheet in load_workbook(io.BytesIO(file))]

    assert got.status_code == 200 and cells(got.content) == cells(content)
    assert narrowed.status_code == 200 and "blocks" not in narrowed.json()
    out = tmp_path / f"sisa.{output_format}"
    ran = CliRunner().invoke(
        app, ["sisa", "export", "--year", "2025", "--out", str(out), "--database", database_url]
    )
    assert ran.exit_code == 0, ran.output
    assert cells(out.read_bytes()) == cells(content)


def test_the_kept_sisa_status_follows_a_statement_handed_in(regio, ledger):
    """The SiSa status kept per state of the books (``api.http.sisa_status``; the statements
    are part of that state) shows a year reported as soon as its statement is booked, as a
    fresh read does."""

    def fresh() -> dict:
        with UnitOfWork(ledger.engine) as uow:
            return {r.beschikking.nummer: r.years for r in status_rows(uow.connection)}

    def kept() -> dict:
        return {r.beschikking.nummer: r.years for r in sisa_status_rows(ledger.engine)}

    before = kept()
    assert before == fresh() and before[NUMMER][2025] == SisaStatus.MISSING
    handed_in = hand_in(ledger, 2025, "1.000,00")
    assert handed_in.booked is not None, handed_in.problems
    assert kept() == fresh() and kept()[NUMMER][2025] == SisaStatus.REPORTED
