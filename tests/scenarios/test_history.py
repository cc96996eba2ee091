"""The whole Regio Envelop as published: every tranche's deals as the public figures list them,
each booking citing its source, the tranche totals, the July 2020 figure as of its date, and
every figure that disagrees either explained or open with both sources. One demo ledger per
database, read by every test here."""

from __future__ import annotations

import csv
import re
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date
from decimal import Decimal

import pytest
from sqlalchemy import select

from api.demo import FIGURES, load_demo
from ledger.db.rows import entry_table
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.known import Known
from ledger.regio.db.scoped import Scope, load_beschikking_snapshot, load_scoped_snapshot
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import deal_statement_spending, load_snapshot, spending_ends
from ledger.regio.model import Instrument
from reports.deal_report import build_deal_progress
from reports.listings import beschikking_rows, deal_rows
from reports.published import EXPLAINED, OPEN, REPRODUCED
from reports.reconciliation import build_tranche_reconciliation
from reports.render import render_text, to_json
from sisa.status import status_rows

TODAY = date(2026, 12, 1)
ROWS = list(csv.DictReader(FIGURES.open(encoding="utf-8")))
#: A repository file name of a seed document: what no reader can follow.
FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt|seed \d{3}")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def demo(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[LedgerService]:
    if request.param == "sqlite":
        target = tmp_path_factory.mktemp("history") / "ledger.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        url, drop = f"sqlite:///{target}", None
    else:
        server = request.getfixturevalue("postgres_server")
        name = f"regioledger_history_{uuid.uuid4().hex[:8]}"
        url = server.create(name, template=request.getfixturevalue("postgres_template"))
        drop = (server, name)
    ledger = LedgerService.from_url(url)
    load_demo(RegioService(ledger.engine))
    yield ledger
    ledger.engine.dispose()
    if drop:
        drop[0].drop(drop[1])


def snapshot_on(ledger: LedgerService, on: date):
    with UnitOfWork(ledger.engine) as uow:
        return load_snapshot(uow.connection, on)


def published(kind: str) -> list[dict[str, str]]:
    return [row for row in ROWS if row["kind"] == kind]


def euros(value: str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


@pytest.mark.parametrize("tranche", ["T1", "T2", "T3", "T4", "T5", "T6"])
def test_every_deal_of_the_tranche_is_booked_as_published(demo, tranche):
    """Code, Rijksbijdrage when signed, date and citation of each deal (tranche 1: and its
    departmental transfers) as the public figures give them; nothing more, nothing less."""
    snapshot = snapshot_on(demo, TODAY)
    rows = [
        row
        for row in published("deal") + published("departmental_transfer")
        if row["key"].startswith(f"{tranche}-")
    ]
    booked = {d.code: d for d in snapshot.deals if d.tranche == tranche}
    assert set(booked) == {row["key"] for row in rows}
    signed = {c.deal: c for c in reversed(snapshot.commitments)}  # the first of each deal
    for row in rows:
        deal, first = booked[row["key"]], signed[row["key"]]
        assert first.amount.amount == euros(row["amount_eur"]), row["key"]
        assert deal.signed_on == date.fromisoformat(row["date"]), row["key"]
        assert first.source_document == row["source"], row["key"]  # the citation, whole


@pytest.mark.parametrize(
    ("tranche", "kind", "published_on"),
    [
        ("T2", "tranche", "2018-11-16"),
        ("T3", "tranche", "2020-02-14"),
        ("T4", "tranche", "2023-02-17"),
        ("T5", "tranche", "2024-02-13"),
        ("T6", "tranche", "2025-11-19"),
    ],
)
def test_the_tranche_total_is_the_published_one_and_its_deals_commit_it(
    demo, tranche, kind, published_on
):
    row = next(r for r in published(kind) if r["key"] == tranche)
    reconciliation = build_tranche_reconciliation(snapshot_on(demo, TODAY))
    figures = next(t for e in reconciliation.envelopes for t in e.tranches if t.code == tranche)
    assert figures.budget.amount == figures.committed.amount == euros(row["amount_eur"])
    assert row["date"] == published_on and reconciliation.ties_out


def test_tranche_one_is_deals_transfers_and_money_that_is_no_deal(demo):
    snapshot = snapshot_on(demo, TODAY)
    instruments = {
        b.deal: {x.instrument for x in snapshot.beschikkingen if x.deal == b.deal}
        for b in snapshot.beschikkingen
        if b.deal.startswith("T1-")
    }
    assert instruments["T1-BRAINPORT-EINDHOVEN"] == {Instrument.DU}
    assert instruments["T1-ZEELAND"] == {Instrument.DU}
    assert instruments["T1-ESTEC"] == instruments["T1-CARIBISCH-NEDERLAND"] == {Instrument.DO}
    assert instruments["T1-ROTTERDAM-ZUID"] == {Instrument.DU, Instrument.SPUK}
    set_aside = {
        (e.purpose, e.amount.amount) for e in snapshot.budget_events if e.kind == "set_aside"
    }
    assert set_aside == {
        ("T1-NUCLEAIR-PETTEN", Decimal("117000000.00")),
        ("UITVOERINGSKOSTEN", Decimal("13000000.00")),
    }
    caribisch = next(d for d in snapshot.deals if d.code == "T1-CARIBISCH-NEDERLAND")
    total = next(r for r in published("deal_total") if r["key"] == caribisch.code)
    assert caribisch.rijksbijdrage.amount == euros(total["amount_eur"])  # 30 + 20


def test_rotterdam_zuids_remainder_is_converted_to_a_spuk_on_the_published_date(demo):
    snapshot = snapshot_on(demo, TODAY)
    spuk = next(b for b in snapshot.beschikkingen if b.converted_from == "RD-T1-ROTTERDAM-ZUID-1")
    du = next(b for b in snapshot.beschikkingen if b.nummer == "RD-T1-ROTTERDAM-ZUID-1")
    assert (du.instrument, spuk.instrument) == (Instrument.DU, Instrument.SPUK)
    assert spuk.decided_on == date(2019, 12, 9)  # Kamerstuk 29 697 nr. 73
    paid = demo.balance("beschikking:RD-T1-ROTTERDAM-ZUID-1:paid").balance
    assert paid + spuk.amount == du.amount  # the DU keeps what it paid, the SPUK takes the rest


def test_the_july_2020_figure_is_reproduced_as_of_its_date(demo):
    """LNV, July 2020: €897M committed, €40M left, €13M uitvoeringskosten of the €950M."""
    reconciliation = build_tranche_reconciliation(snapshot_on(demo, date(2020, 7, 22)))
    answers = {(d.kind, d.key): d for d in reconciliation.differences}
    for kind in ("envelope_committed", "envelope_remaining", "envelope_implementation_costs"):
        comparison = answers[(kind, "RE-2018")]
        assert comparison.status == REPRODUCED, kind
    assert answers[("envelope_committed", "RE-2018")].ledger.amount == Decimal("897000000.00")
    envelope = next(e for e in reconciliation.envelopes if e.code == "RE-2018")
    assert envelope.unallocated.amount == Decimal("40000000.00")


def test_every_published_figure_is_reproduced_explained_or_open_with_both_sources(demo):
    reconciliation = build_tranche_reconciliation(snapshot_on(demo, TODAY))
    answers = {(d.kind, d.key, d.published_on): d for d in reconciliation.differences}
    assert len(answers) == len([r for r in ROWS if Decimal(r["amount_eur"] or 0) > 0])
    by_key = {(d.kind, d.key): d for d in reconciliation.differences}
    transfer = by_key[("budget_transfer", "T6")]  # Voorjaarsnota 2024: no envelope money
    assert (transfer.status, transfer.reason) == (EXPLAINED, "article_transfer")
    assert by_key[("deal_component", "T1-ESTEC-SPACE-CAMPUS")].status == EXPLAINED
    assert by_key[("allocation_subtotal", "T1-FEB2018")].status == EXPLAINED
    opened = {(d.kind, d.key): d.difference.amount for d in reconciliation.differences if d.is_open}
    assert opened == {
        ("deal_disputed", "T2-NOORDOOST-FRYSLAN"): Decimal("5000000.00"),
        ("deal_disputed", "T2-TWENTE"): Decimal("13400000.00"),
        ("deal_disputed", "T3"): Decimal("-22500000.00"),
        ("announcement", "T5"): Decimal("1800000.00"),
        ("announcement", "T6"): Decimal("27700000.00"),  # no source says where it came from
        ("tranche", "T6"): Decimal("27700000.00"),
    }
    for d in reconciliation.differences:
        if d.status == OPEN:
            assert d.source and d.other_sources and d.source not in d.other_sources, d.key
        else:
            assert d.status in (REPRODUCED, EXPLAINED)


def test_tranche_six_moves_no_envelope_money_for_the_article_transfer(demo):
    before = build_tranche_reconciliation(snapshot_on(demo, date(2024, 5, 6)))
    after = build_tranche_reconciliation(snapshot_on(demo, date(2024, 5, 7)))
    t6 = [
        next(t for e in r.envelopes for t in e.tranches if t.code == "T6") for r in (before, after)
    ]
    assert t6[0].budget == t6[1].budget and not t6[0].article_transfers
    assert [e.amount.amount for e in t6[1].article_transfers] == [Decimal("257100000.00")]
    envelopes = [next(e for e in r.envelopes if e.code == "RE-2022") for r in (before, after)]
    assert envelopes[0].unallocated == envelopes[1].unallocated


def test_the_islands_are_paid_a_bu_in_dollars(demo):
    snapshot = snapshot_on(demo, TODAY)
    islands = {b.deal: b for b in snapshot.beschikkingen if b.instrument is Instrument.BU}
    assert set(islands) == {"T5-SABA", "T5-SINT-EUSTATIUS", "T6-BONAIRE"}
    for deal, b in islands.items():
        row = next(r for r in published("deal") if r["key"] == deal)
        assert b.amount.currency == "USD" and b.eur_amount.amount == euros(row["amount_eur"])
        assert snapshot.organisations[b.recipient].startswith("Openbaar Lichaam")


def test_recipients_carry_their_real_names_and_cbs_codes(demo):
    snapshot = snapshot_on(demo, TODAY)
    zwolle = {
        b.recipient for b in snapshot.beschikkingen if b.deal in ("T3-ZWOLLE", "T5-ZWOLLE-II")
    }
    assert zwolle == {"GM0193"} and snapshot.organisations["GM0193"] == "Gemeente Zwolle"
    assert snapshot.organisations["PV21"] == "Provincie Fryslân"
    for b in snapshot.beschikkingen:
        code = b.recipient
        assert re.fullmatch(r"GM\d{4}|PV\d{2}|OL-[A-Z-]+|MIN-[A-Z]+", code), code


def test_no_output_names_a_repository_file_and_dutch_pages_say_amounts_in_dutch(demo):
    reconciliation = build_tranche_reconciliation(snapshot_on(demo, TODAY))
    dutch = render_text(reconciliation, "nl")
    for text in (dutch, render_text(reconciliation, "en"), to_json(reconciliation)):
        assert not FILE_NAME.search(text)
    assert not re.search(r"\d+\.\d{2} EUR", dutch)  # "15000000.00 EUR": a memo, not Dutch
    assert "Tranche 6 na de verschuiving" in dutch and "Tranche 6 after the shift" not in dutch


@pytest.mark.parametrize("code", ["T5-ZWOLLE-II", "T1-ROTTERDAM-ZUID", "T5-SABA", "T3-ZWOLLE"])
def test_voortgang_by_programme_line_project_and_partner_adds_up_to_the_books(demo, code):
    """The lines a deal's voortgang adds up (spending events and the lines of the statements
    that count) give what its accounts hold, per source: nothing left out, nothing twice."""
    from ledger.regio.db.snapshot import deal_statement_spending
    from reports.deal_report import build_deal_progress

    snapshot = snapshot_on(demo, TODAY)
    with UnitOfWork(demo.engine) as uow:
        lines = deal_statement_spending(uow.connection, snapshot, code)
    progress = build_deal_progress(snapshot, code, lines)
    for source in ("rijk", "cofinanciering_publiek", "in_natura"):
        by_line = sum((by[source].amount for by in progress.by_programme_line.values()), Decimal(0))
        by_project = sum((by[source].amount for by in progress.by_project.values()), Decimal(0))
        booked = progress.spent_from(source).amount
        assert abs(by_line - booked) <= Decimal("0.05") and by_line == by_project, source
    realised = sum((p.realised.amount for p in progress.partners), Decimal(0))
    outside = sum(
        (progress.spent_from(s).amount for s in ("cofinanciering_publiek", "in_natura")),
        Decimal(0),
    )
    assert abs(realised - outside) <= Decimal("0.05")
    assert progress.multiplier_total is not None and progress.citation


@pytest.mark.parametrize("on", [date(2021, 6, 30), date(2024, 12, 31), TODAY])
def test_a_beschikkings_scoped_read_says_what_the_whole_books_say(demo, on):
    """``load_beschikking_snapshot`` reads only one beschikking's rows and accounts, and for every
    beschikking of the demo, at each date and as the books stood halfway, its row, balances and
    grant changes are those the whole snapshot has."""
    with UnitOfWork(demo.engine) as uow:
        c = uow.connection
        entries = c.execute(select(entry_table.c.recorded_at).order_by(entry_table.c.id)).all()
        halfway = entries[len(entries) // 2].recorded_at.replace(tzinfo=UTC)
        for moment in (None, halfway):
            whole = load_snapshot(c, on, moment)
            known = Known.at_moment(c, moment)
            ends = spending_ends(c, on, known)
            rows = {row.beschikking.nummer: row for row in beschikking_rows(whole, ends)}
            assert len(rows) > (30 if on == TODAY else 0)
            for nummer, row in rows.items():
                scoped = load_beschikking_snapshot(c, nummer, on, moment)
                read = {b.nummer for b in scoped.beschikkingen}  # it, and the SPUK it became
                assert read <= {nummer, row.converted_to}
                assert all(code.split(":")[1] in read for code in scoped.balances)
                own = [r for r in beschikking_rows(scoped, ends) if r.beschikking.nummer == nummer]
                assert own == [row]
                recipient = row.beschikking.recipient
                assert scoped.organisations[recipient] == whole.organisations[recipient]
                assert scoped.organisations.items() <= whole.organisations.items()
                assert scoped.grant_changes == {
                    k: v for k, v in whole.grant_changes.items() if k == nummer
                }
                for code, balance in scoped.balances.items():
                    assert whole.balances[code] == balance
                assert {code for code in whole.balances if code.split(":")[1] in read} == set(
                    scoped.balances
                )
        assert load_beschikking_snapshot(c, "RD-UNKNOWN", TODAY).beschikkingen == []


@pytest.mark.parametrize("on", [date(2021, 6, 30), TODAY])
def test_a_deals_recipients_and_tranches_scoped_reads_say_what_the_whole_books_say(demo, on):
    """The figures of a deal (every beschikking of it), of a recipient's beschikkingen, of the
    deals a recipient receives money for and of a tranche's deals are the whole snapshot's."""
    with UnitOfWork(demo.engine) as uow:
        c = uow.connection
        whole = load_snapshot(c, on)
        ends = spending_ends(c, on)
        deals = {row.deal.code: row for row in deal_rows(whole)}
        rows = {row.beschikking.nummer: row for row in beschikking_rows(whole, ends)}
        for code, row in deals.items():
            scoped = load_scoped_snapshot(c, Scope(deal=code), on)
            assert deal_rows(scoped) == [row]
            lines = deal_statement_spending(c, whole, code)
            assert deal_statement_spending(c, scoped, code) == lines
            assert (
                build_deal_progress(scoped, code, lines).as_dict()
                == build_deal_progress(whole, code, lines).as_dict()
            )
            assert scoped.illustrative == whole.illustrative
        for tranche in {row.deal.tranche for row in deals.values()}:
            scoped = deal_rows(load_scoped_snapshot(c, Scope(tranche=tranche), on))
            assert scoped == [row for row in deals.values() if row.deal.tranche == tranche]
        recipients = {row.beschikking.recipient for row in rows.values()}
        assert len(recipients) > (10 if on == TODAY else 0)
        for recipient in recipients:
            mine = sorted(n for n, row in rows.items() if row.beschikking.recipient == recipient)
            scoped = load_scoped_snapshot(c, Scope(recipient=recipient), on)
            assert [r for r in beschikking_rows(scoped, ends) if r.beschikking.nummer in mine] == [
                rows[n] for n in mine
            ]
            receiving = load_scoped_snapshot(c, Scope(receiving=recipient), on)
            theirs = {rows[n].beschikking.deal for n in mine}
            assert [r for r in deal_rows(receiving) if r.deal.code in theirs] == [
                deals[code] for code in sorted(theirs)
            ]


@pytest.mark.parametrize("on", [date(2024, 12, 31), TODAY])
def test_a_scoped_sisa_status_says_what_the_whole_books_say(demo, on):
    """The SiSa status of one beschikking's years, or of a recipient's beschikkingen, read from
    their part of the books only (the beschikking's page, a region's list) is the whole books'."""
    with UnitOfWork(demo.engine) as uow:
        c = uow.connection
        whole = {row.beschikking.nummer: row for row in status_rows(c, on)}
        assert len(whole) > 10
        assert len({status for row in whole.values() for status in row.years.values()}) > 1
        for nummer, row in whole.items():
            scoped = status_rows(c, on, scope=Scope(nummer=nummer))
            assert [r for r in scoped if r.beschikking.nummer == nummer] == [row]
        for recipient in {row.recipient for row in whole.values()}:
            scoped = status_rows(c, on, scope=Scope(recipient=recipient))
            assert [r for r in scoped if r.recipient == recipient] == [
                row for row in whole.values() if row.recipient == recipient
            ]
