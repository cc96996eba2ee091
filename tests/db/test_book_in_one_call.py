"""PostgreSQL books an ordinary entry in one server-side call, and leaves everything out of the
ordinary to the usual path, which says exactly what is wrong; both paths write the same rows."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.db import journal
from ledger.db.service import LedgerService
from ledger.errors import LedgerError
from tests.support import BUDGET_ACCOUNTS, C, D, entry

pytestmark = pytest.mark.postgresql


@pytest.fixture
def books(postgres_ledger: LedgerService) -> LedgerService:
    postgres_ledger.open_accounts(BUDGET_ACCOUNTS, actor="setup")
    postgres_ledger.post(
        entry("budget", ("rijksbegroting", D, "100.00"), ("tranche-5", C, "100.00"))
    )
    return postgres_ledger


@pytest.fixture
def usual_path_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often the usual path took the journal lock (the one call never does)."""
    taken: list[int] = []
    usual = journal.lock_journal

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        taken.append(1)
        return usual(*args, **kwargs)

    monkeypatch.setattr(journal, "lock_journal", counting)
    return taken


def test_an_ordinary_entry_is_booked_by_the_one_call(books, usual_path_counted):
    posted = books.post(
        entry("commit", ("tranche-5", D, "40.00"), ("deal-zwolle", C, "40.00"), on=date(2024, 2, 1))
    )
    assert usual_path_counted == []
    assert posted.sequence == 2
    assert [(p.account, p.debit_total_after, p.credit_total_after) for p in posted.postings] == [
        ("tranche-5", 4000, 10000),
        ("deal-zwolle", 0, 4000),
    ]
    assert books.entry("commit") == posted  # what the server wrote is what the ledger holds
    assert books.verify().ok


def test_the_same_account_twice_in_one_entry_runs_its_totals_on(books, usual_path_counted):
    posted = books.post(
        entry(
            "split",
            ("tranche-5", D, "10.00"),
            ("tranche-5", D, "5.00"),
            ("deal-zwolle", C, "15.00"),
        )
    )
    assert usual_path_counted == []
    assert [(p.debit_total_after, p.credit_total_after) for p in posted.postings[:2]] == [
        (1000, 10000),
        (1500, 10000),
    ]
    assert books.verify().ok


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("unknown account", "unknown_account"),
        ("other currency", "currency_mismatch"),
        ("over the limit", "limit_exceeded"),
        ("in kind with cash", "memorandum_mixed"),
        ("back-dated draw", "limit_exceeded_as_of"),
        ("key booked with other content", "idempotency_conflict"),
    ],
)
def test_the_out_of_the_ordinary_goes_the_usual_way_and_is_named(
    books, usual_path_counted, case, code
):
    books.post(
        entry("later", ("tranche-5", D, "90.00"), ("deal-zwolle", C, "90.00"), on=date(2024, 6, 1))
    )
    books.post(
        entry(
            "top-up",
            ("rijksbegroting", D, "50.00"),
            ("tranche-5", C, "50.00"),
            on=date(2024, 12, 1),
        )
    )
    usual_path_counted.clear()  # tranche-5: 100 from 15 January, 10 from 1 June, 60 from 1 December
    bad = {
        "unknown account": entry("x", ("nowhere", D, "1.00"), ("deal-zwolle", C, "1.00")),
        "other currency": entry("x", ("usd-bank", D, "1.00"), ("rijksbegroting", C, "1.00")),
        "over the limit": entry("x", ("tranche-5", D, "61.00"), ("deal-zwolle", C, "61.00")),
        "in kind with cash": entry("x", ("in-kind", D, "1.00"), ("rijksbegroting", C, "1.00")),
        "back-dated draw": entry(  # fine today (45 left), 5 short on 1 June
            "x", ("tranche-5", D, "15.00"), ("bank", C, "15.00"), on=date(2024, 1, 20)
        ),
        "key booked with other content": entry(
            "later", ("tranche-5", D, "1.00"), ("deal-zwolle", C, "1.00")
        ),
    }[case]
    before = books.verify()
    with pytest.raises(LedgerError) as refused:
        books.post(bad)
    assert refused.value.code == code
    assert usual_path_counted, "the usual path said why"
    assert books.verify() == before  # nothing was written


def test_a_back_dated_top_up_of_a_limited_account_is_the_one_calls(books, usual_path_counted):
    """A top-up raises every later balance, so it needs no history: only a back-dated draw
    goes the usual way (the core judges them alike, ledger.balances)."""
    books.post(
        entry("later", ("tranche-5", D, "90.00"), ("deal-zwolle", C, "90.00"), on=date(2024, 6, 1))
    )
    top_up = books.post(
        entry(
            "top-up",
            ("rijksbegroting", D, "5.00"),
            ("tranche-5", C, "5.00"),
            on=date(2024, 1, 20),  # before the draw of 1 June
        )
    )
    books.post(
        entry(
            "december",
            ("rijksbegroting", D, "50.00"),
            ("tranche-5", C, "50.00"),
            on=date(2024, 12, 1),
        )
    )
    assert usual_path_counted == []
    assert books.balance("tranche-5", as_of=date(2024, 6, 1)).balance.amount == Decimal("15.00")
    with pytest.raises(LedgerError) as refused:  # fine today (65 left), 1 short on 1 June
        books.post(
            entry("draw", ("tranche-5", D, "16.00"), ("bank", C, "16.00"), on=date(2024, 1, 25))
        )
    assert refused.value.code == "limit_exceeded_as_of"
    assert usual_path_counted, "the draw went the usual way"
    assert top_up.sequence == 3
    assert books.verify().ok


def test_a_replay_answers_the_first_booking(books, usual_path_counted):
    first = books.post(entry("pay", ("tranche-5", D, "1.00"), ("deal-zwolle", C, "1.00")))
    again = books.post(entry("pay", ("tranche-5", D, "1.00"), ("deal-zwolle", C, "1.00")))
    assert again == first
    assert len(usual_path_counted) == 1  # the replay is the usual path's to answer


def test_a_booking_alone_is_committed_by_its_one_call(books, usual_path_counted):
    posted = books.post(entry("alone", ("tranche-5", D, "2.00"), ("deal-zwolle", C, "2.00")))
    assert usual_path_counted == []
    other = LedgerService.from_url(books.engine.url.render_as_string(hide_password=False))
    try:  # another connection sees it: the call's own transaction committed it
        assert other.entry("alone") == posted
    finally:
        other.engine.dispose()


def a_ledger_that_seals_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    usual = journal.record_entry

    def otherwise(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return dataclasses.replace(usual(*args, **kwargs), entry_hash="f" * 64)

    monkeypatch.setattr(journal, "record_entry", otherwise)


def test_a_seal_the_ledger_disagrees_with_after_commit_is_named_as_booked(books, monkeypatch):
    a_ledger_that_seals_otherwise(monkeypatch)
    with pytest.raises(LedgerError) as alarm:
        books.post(entry("sealed", ("tranche-5", D, "3.00"), ("deal-zwolle", C, "3.00")))
    assert alarm.value.code == "chain_broken"
    assert "it was booked as entry 2: run regioledger verify" in str(alarm.value)
    assert books.entry("sealed").sequence == 2  # what the error says is what happened


def test_a_seal_the_ledger_disagrees_with_in_a_transaction_books_nothing(books, monkeypatch):
    a_ledger_that_seals_otherwise(monkeypatch)
    before = books.verify()
    with pytest.raises(LedgerError) as refused:
        books.post_many([entry("sealed", ("tranche-5", D, "3.00"), ("deal-zwolle", C, "3.00"))])
    assert refused.value.code == "chain_broken"
    assert "nothing was booked" in str(refused.value)
    assert books.verify() == before


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    step=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3650)),
    microsecond=st.sampled_from([0, 1, 999_999, None]),
)
def test_the_server_seals_as_the_ledger_does_at_any_recorded_time(books, step, microsecond):
    """The one call computes the chain hash in SQL; for any recorded time (a whole second, a
    microsecond either side, any day over the years ahead) the ledger's own seal agrees."""
    last = books.verify().entries_checked
    head = books.entry(f"seal-{last}" if last > 1 else "budget").recorded_at
    moment = head + step
    if microsecond is not None:
        moment = moment.replace(microsecond=microsecond)
    books.clock = lambda: moment
    posted = books.post(
        entry(f"seal-{last + 1}", ("tranche-5", D, "0.01"), ("deal-zwolle", C, "0.01"))
    )
    assert posted.recorded_at == max(moment, head)
    assert books.verify().ok
