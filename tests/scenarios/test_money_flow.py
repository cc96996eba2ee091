"""Worked example: convenant → beschikking → payments → spending over three years →
vaststelling with underspending → terugvordering → repayment. Every balance checked."""

from datetime import date

import pytest

from ledger.accounts import Dimensions
from ledger.db.service import LedgerService
from ledger.errors import LedgerError
from ledger.regio.db.service import RegioService
from ledger.regio.model import FundingSource as Source
from tests.scenarios.flow import OFFICER, build_world, eur, zwolle_beschikking, zwolle_deal


@pytest.fixture
def regio(ledger: LedgerService) -> RegioService:
    service = RegioService(ledger.engine)
    build_world(service)
    return service


def balance(ledger: LedgerService, code: str) -> str:
    return str(ledger.balance(code).balance.amount)


# (date, year, source, amount, partner)
SPENDING = [
    (date(2024, 11, 5), 2024, Source.RIJK, "2000000.00", None),
    (date(2024, 11, 5), 2024, Source.COFINANCIERING_PUBLIEK, "1500000.00", "PV-OVERIJSSEL"),
    (date(2025, 3, 10), 2025, Source.RIJK, "9000000.00", None),
    (date(2025, 3, 10), 2025, Source.IN_NATURA, "750000.00", "BEDRIJF-X"),
    (date(2026, 6, 30), 2026, Source.RIJK, "11000000.00", None),
    (date(2026, 6, 30), 2026, Source.COFINANCIERING_PRIVAAT, "400000.00", "BEDRIJF-X"),
    (date(2026, 7, 1), 2026, Source.RIJK, "-500000.00", None),  # a correction
]

# (date, amount)
PAYMENTS = [
    (date(2024, 9, 15), "12000000.00"),
    (date(2025, 9, 15), "12000000.00"),
    (date(2026, 9, 15), "6000000.00"),
]


@pytest.mark.today("2029-06-30")  # the whole life, to after the spending period
def test_the_whole_flow_of_one_deal(regio, ledger):
    regio.sign_deal(zwolle_deal(), key="sign-zwolle", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant-001", who=OFFICER)
    for number, (on, amount) in enumerate(PAYMENTS):
        regio.pay("RD-2024-001", eur(amount), on=on, key=f"pay-{number}", who=OFFICER)
    for number, (on, year, source, amount, partner) in enumerate(SPENDING):
        regio.record_spending(
            "RD-2024-001",
            year,
            source,
            eur(amount),
            on=on,
            key=f"spend-{number}",
            who=OFFICER,
            partner=partner,
        )

    expected_before_settlement = {
        "tranche:T5:available": "270600000.00",
        "deal:ZWOLLE-II:ungranted": "0.00",
        "beschikking:RD-2024-001:unpaid": "0.00",
        "beschikking:RD-2024-001:paid": "30000000.00",
        "beschikking:RD-2024-001:unspent": "8500000.00",
        "beschikking:RD-2024-001:spent:2024:rijk": "2000000.00",
        "beschikking:RD-2024-001:spent:2025:rijk": "9000000.00",
        "beschikking:RD-2024-001:spent:2026:rijk": "10500000.00",
        "beschikking:RD-2024-001:spent:2024:cofinanciering_publiek": "1500000.00",
        "beschikking:RD-2024-001:spent:2026:cofinanciering_privaat": "400000.00",
        "beschikking:RD-2024-001:spent:2025:in_natura": "750000.00",
    }
    assert {
        code: balance(ledger, code) for code in expected_before_settlement
    } == expected_before_settlement

    regio.mark_final(
        "RD-2024-001",
        2027,
        key="final-001",
        who=OFFICER,
        toelichting="Minder besteed dan beschikt; de rest wordt teruggevorderd.",
    )
    regio.settle(
        "RD-2024-001",
        on=date(2028, 3, 1),
        key="settle-001",
        who=OFFICER,
        ineligible=eur("500000.00"),
        cofinancing_exception="een voorbeeld van de geldstromen, zonder de cofinanciering die de regel vraagt",
    )
    expected_after_settlement = {
        "beschikking:RD-2024-001:paid": "0.00",
        "beschikking:RD-2024-001:settled": "21000000.00",  # 21.5M spent, 0.5M ineligible
        "beschikking:RD-2024-001:recoverable": "9000000.00",  # paid 30M − eligible 21M
        "beschikking:RD-2024-001:unspent": "0.00",
        "beschikking:RD-2024-001:lapsed": "0.00",
    }
    assert {
        code: balance(ledger, code) for code in expected_after_settlement
    } == expected_after_settlement

    regio.repay("RD-2024-001", eur("9000000.00"), on=date(2028, 5, 1), key="repay-001", who=OFFICER)
    assert balance(ledger, "beschikking:RD-2024-001:recoverable") == "0.00"
    assert balance(ledger, "beschikking:RD-2024-001:recovered") == "9000000.00"
    assert ledger.trial_balance().is_balanced
    assert ledger.verify().ok

    with pytest.raises(LedgerError) as refused:
        regio.pay("RD-2024-001", eur("1.00"), on=date(2028, 6, 1), key="late-pay", who=OFFICER)
    assert refused.value.code == "beschikking_settled"


@pytest.mark.today("2029-06-30")  # the whole life, to after the spending period
def test_underpaid_settlement_pays_the_rest_and_lets_the_remainder_lapse(regio, ledger):
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    regio.pay("RD-2024-001", eur("10000000.00"), on=date(2024, 9, 15), key="pay", who=OFFICER)
    regio.record_spending(
        "RD-2024-001",
        2025,
        Source.RIJK,
        eur("12000000.00"),
        on=date(2025, 1, 5),
        key="s",
        who=OFFICER,
    )
    regio.settle(
        "RD-2024-001",
        on=date(2028, 1, 10),
        key="settle",
        who=OFFICER,
        ambtshalve="na de bestedingsperiode, zonder eindverantwoording",
        cofinancing_exception="een voorbeeld van de geldstromen, zonder de cofinanciering die de regel vraagt",
    )
    assert balance(ledger, "beschikking:RD-2024-001:settled") == "12000000.00"
    assert balance(ledger, "beschikking:RD-2024-001:lapsed") == "18000000.00"
    assert balance(ledger, "beschikking:RD-2024-001:recoverable") == "0.00"
    assert (
        ledger.balance("beschikking:RD-2024-001:paid").credit_total.amount == 12000000
    )  # 2M paid at settlement


@pytest.mark.parametrize(
    ("operation", "code"),
    [
        (
            lambda r: r.sign_deal(
                zwolle_deal(code="OTHER", rijksbijdrage=eur("270600000.01")), key="k", who=OFFICER
            ),
            "tranche_overcommitted",
        ),
        (
            lambda r: r.grant(
                zwolle_beschikking(nummer="RD-2", amount=eur("0.01")), key="k", who=OFFICER
            ),
            "deal_overgranted",
        ),
        (
            lambda r: r.grant(
                zwolle_beschikking(nummer="RD-3", recipient="WS-DRENTS"), key="k", who=OFFICER
            ),
            "waterschap_not_regiokassier",
        ),
        (
            lambda r: r.pay(
                "RD-2024-001", eur("30000000.01"), on=date(2025, 1, 1), key="k", who=OFFICER
            ),
            "overpayment",
        ),
        (
            lambda r: r.record_spending(
                "RD-2024-001",
                2023,
                Source.RIJK,
                eur("1.00"),
                on=date(2023, 12, 1),
                key="k",
                who=OFFICER,
            ),
            "outside_spending_period",
        ),
        (
            lambda r: r.record_spending(
                "RD-2024-001",
                2025,
                Source.COFINANCIERING_PUBLIEK,
                eur("1.00"),
                on=date(2025, 1, 1),
                key="k",
                who=OFFICER,
                partner="MIN-BZK",
            ),
            "rijk_as_cofinancier",
        ),
        (
            lambda r: r.record_spending(
                "RD-2024-001",
                2025,
                Source.RIJK,
                eur("-1.00"),
                on=date(2025, 1, 1),
                key="k",
                who=OFFICER,
            ),
            "negative_spending_total",
        ),
        (
            lambda r: r.shift(
                "T6", "T5", eur("300600000.01"), on=date(2023, 6, 1), key="k", who=OFFICER
            ),
            "tranche_overcommitted",
        ),
    ],
)
def test_refusals_say_why_and_book_nothing(regio, ledger, operation, code):
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    before = (
        ledger.verify().entries_checked,
        [(b.account, b.balance) for b in ledger.trial_balance().balances],
    )
    with pytest.raises(LedgerError) as refused:
        operation(regio)
    assert refused.value.code == code
    assert refused.value.problems[0].message_nl
    after = (
        ledger.verify().entries_checked,
        [(b.account, b.balance) for b in ledger.trial_balance().balances],
    )
    assert after == before


def test_retrying_an_operation_books_it_once(regio, ledger):
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    first = regio.pay("RD-2024-001", eur("1000.00"), on=date(2025, 1, 1), key="pay-1", who=OFFICER)
    again = regio.pay("RD-2024-001", eur("1000.00"), on=date(2025, 1, 1), key="pay-1", who=OFFICER)
    assert again.sequence == first.sequence
    with pytest.raises(LedgerError) as refused:
        regio.pay("RD-2024-001", eur("2000.00"), on=date(2025, 1, 1), key="pay-1", who=OFFICER)
    assert refused.value.code == "idempotency_conflict"
    assert balance(ledger, "beschikking:RD-2024-001:paid") == "1000.00"


def test_dimension_balances_follow_the_deal(regio, ledger):
    regio.sign_deal(zwolle_deal(), key="sign", who=OFFICER)
    regio.grant(zwolle_beschikking(), key="grant", who=OFFICER)
    deal = ledger.balances(dimensions=Dimensions(deal="ZWOLLE-II"), currency="EUR")
    assert "beschikking:RD-2024-001:unpaid" in {b.account for b in deal}
