"""The chart of accounts of the Regio Deals.

Budget money flows through credit-normal *stage* accounts, each with a balance limit so it
can never go below zero; money enters from debit-normal *source* accounts:

    envelope:E:source ─▶ envelope:E:unallocated ─▶ tranche:T:available ─▶ [reservation:R:available]
        ─▶ deal:D:ungranted ─▶ beschikking:B:unpaid ─▶ beschikking:B:paid
        ─▶ (vaststelling) beschikking:B:settled | :recoverable ─▶ :recovered ;  :unpaid ─▶ :lapsed

Spending is a parallel flow per beschikking: the grant also opens ``:unspent`` (from its
mirror ``:capacity``); Rijk spending moves it to ``:spent:YEAR:rijk``. Regional cash comes
from ``:cofinancing:SOURCE`` and in-kind value lives on memorandum accounts, never mixed
with cash. A USD BU converts through ``:fx-eur`` (EUR) and ``:fx-usd`` (USD), so each
currency still balances.
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.accounts import Account, AccountKind, Dimensions
from ledger.regio.model import Beschikking, Deal, Envelope, FundingSource, Reservation, Tranche

BUDGET, SOURCE = AccountKind.BUDGET, AccountKind.BUDGET_SOURCE


def _stage(
    code: str, name: str, dims: Dimensions, currency: str = "EUR", limited: bool = True
) -> Account:
    return Account(code, name, BUDGET, currency=currency, dimensions=dims, non_negative=limited)


def envelope_source(code: str) -> str:
    return f"envelope:{code}:source"


def envelope_additions(code: str) -> str:
    return f"envelope:{code}:additions"


def envelope_unallocated(code: str) -> str:
    return f"envelope:{code}:unallocated"


def envelope_set_aside(code: str, purpose: str) -> str:
    """Envelope money given a purpose that is no deal (Petten's nuclear waste, programme costs)."""
    return f"envelope:{code}:set-aside:{purpose}"


def budget_article_source(code: str) -> str:
    return f"envelope:{code}:article:source"


def budget_article(code: str, tranche: str) -> str:
    """A transfer between budget articles for a tranche (Voorjaarsnota 2024: aanvullende post to
    BZK): recorded on its own pair of accounts, outside the envelope's flow."""
    return f"envelope:{code}:article:{tranche}"


def tranche_available(code: str) -> str:
    return f"tranche:{code}:available"


def reservation_available(code: str) -> str:
    return f"reservation:{code}:available"


def deal_ungranted(code: str) -> str:
    return f"deal:{code}:ungranted"


def beschikking_account(nummer: str, stage: str) -> str:
    return f"beschikking:{nummer}:{stage}"


def spent_account(nummer: str, year: int, source: FundingSource) -> str:
    return f"beschikking:{nummer}:spent:{year}:{source.value}"


def cofinancing_source(nummer: str, source: FundingSource) -> str:
    return f"beschikking:{nummer}:cofinancing:{source.value}"


# --- reading a code back: the one place that parses what the functions above build ----------


@dataclass(frozen=True)
class ParsedCode:
    """An account code taken apart: ``beschikking:B:spent:2025:rijk`` is kind ``beschikking``,
    owner ``B``, stage ``spent:2025:rijk``, year 2025, source ``rijk``."""

    kind: str  # envelope, tranche, reservation, deal, beschikking
    owner: str
    stage: str
    year: int | None = None
    source: str | None = None

    @property
    def is_spending(self) -> bool:
        return self.kind == "beschikking" and self.year is not None


def parse(code: str) -> ParsedCode:
    kind, owner, stage = code.split(":", 2)
    if kind == "beschikking" and stage.startswith("spent:"):
        _, year, source = stage.split(":")
        return ParsedCode(kind, owner, stage, int(year), source)
    return ParsedCode(kind, owner, stage)


#: SQL LIKE patterns for the same codes (the database filters by them).
SPENT_LIKE = "%:spent:%"


def stage_like(stage: str) -> str:
    """Every beschikking's account of one stage (``paid``, ``recovered``, ...)."""
    return f"beschikking:%:{stage}"


def source_like(source: FundingSource) -> str:
    return f"%:{source.value}"


def envelope_accounts(envelope: Envelope) -> list[Account]:
    dims = Dimensions(envelope=envelope.code)
    return [
        Account(
            envelope_source(envelope.code),
            f"{envelope.name}: Rijksbegroting",
            SOURCE,
            dimensions=dims,
        ),
        Account(
            envelope_additions(envelope.code),
            f"{envelope.name}: added from outside",
            SOURCE,
            dimensions=dims,
        ),
        _stage(envelope_unallocated(envelope.code), f"{envelope.name}: unallocated", dims),
    ]


def set_aside_accounts(envelope: str, purpose: str, name: str) -> list[Account]:
    dims = Dimensions(envelope=envelope)
    return [_stage(envelope_set_aside(envelope, purpose), f"{name}: set aside", dims)]


def budget_article_accounts(envelope: str, tranche: str) -> list[Account]:
    dims = Dimensions(envelope=envelope, tranche=tranche)
    return [
        Account(
            budget_article_source(envelope),
            "Rijksbegroting: transfers between budget articles",
            SOURCE,
            dimensions=Dimensions(envelope=envelope),
        ),
        _stage(
            budget_article(envelope, tranche), f"Tranche {tranche}: on the budget article", dims
        ),
    ]


def tranche_accounts(tranche: Tranche) -> list[Account]:
    dims = Dimensions(envelope=tranche.envelope, tranche=tranche.code)
    return [_stage(tranche_available(tranche.code), f"{tranche.name}: available", dims)]


def reservation_accounts(reservation: Reservation, envelope: str) -> list[Account]:
    dims = Dimensions(envelope=envelope, tranche=reservation.tranche)
    return [_stage(reservation_available(reservation.code), f"{reservation.name}: available", dims)]


def deal_accounts(deal: Deal, envelope: str) -> list[Account]:
    dims = Dimensions(envelope=envelope, tranche=deal.tranche, deal=deal.code)
    return [
        _stage(deal_ungranted(deal.code), f"Deal {deal.name}: committed, not yet granted", dims)
    ]


def _beschikking_dims(
    beschikking: Beschikking, envelope: str, tranche: str, year: int | None = None
) -> Dimensions:
    return Dimensions(
        envelope=envelope,
        tranche=tranche,
        deal=beschikking.deal,
        beschikking=beschikking.nummer,
        organisation=beschikking.recipient,
        year=year,
    )


#: A foreign-currency grant's exchange differences (koersverschillen), in euros: what its
#: payments really cost beyond (or below) the grant's rate, against their own source.
FX_DIFFERENCE, FX_SOURCE = "koersverschil", "koersverschil-bron"


def fx_difference_accounts(beschikking: Beschikking, envelope: str, tranche: str) -> list[Account]:
    nummer = beschikking.nummer
    dims = _beschikking_dims(beschikking, envelope, tranche)
    return [
        _stage(
            beschikking_account(nummer, FX_DIFFERENCE),
            f"{nummer}: exchange differences (EUR)",
            dims,
            "EUR",
            limited=False,
        ),
        Account(
            beschikking_account(nummer, FX_SOURCE),
            f"{nummer}: exchange differences, Rijksbegroting",
            SOURCE,
            "EUR",
            dims,
        ),
    ]


#: Stages of a beschikking's payment flow, in the grant's currency.
PAYMENT_STAGES = ("unpaid", "paid", "settled", "recoverable", "recovered", "lapsed")


def beschikking_accounts(beschikking: Beschikking, envelope: str, tranche: str) -> list[Account]:
    nummer, currency = beschikking.nummer, beschikking.amount.currency
    dims = _beschikking_dims(beschikking, envelope, tranche)
    accounts = [
        _stage(beschikking_account(nummer, s), f"{nummer}: {s}", dims, currency)
        for s in PAYMENT_STAGES
    ]
    accounts += [
        Account(
            beschikking_account(nummer, "capacity"),
            f"{nummer}: spending capacity",
            SOURCE,
            currency,
            dims,
        ),
        _stage(
            beschikking_account(nummer, "unspent"),
            f"{nummer}: granted, not yet spent",
            dims,
            currency,
        ),
    ]
    if currency != "EUR":
        accounts += [
            _stage(
                beschikking_account(nummer, "fx-eur"),
                f"{nummer}: converted from EUR",
                dims,
                "EUR",
                limited=False,
            ),
            Account(
                beschikking_account(nummer, "fx-usd"),
                f"{nummer}: converted to {currency}",
                SOURCE,
                currency,
                dims,
            ),
        ]
    return accounts


def spending_accounts(
    beschikking: Beschikking, envelope: str, tranche: str, year: int, source: FundingSource
) -> list[Account]:
    nummer, currency = beschikking.nummer, beschikking.amount.currency
    dims = _beschikking_dims(beschikking, envelope, tranche, year)
    spent_code = spent_account(nummer, year, source)
    source_dims = _beschikking_dims(beschikking, envelope, tranche)
    if source is FundingSource.RIJK:
        return [_stage(spent_code, f"{nummer}: spent {year} from Rijk money", dims, currency)]
    if source is FundingSource.IN_NATURA:
        return [
            Account(
                cofinancing_source(nummer, source),
                f"{nummer}: value in kind",
                AccountKind.MEMORANDUM,
                currency,
                source_dims,
            ),
            Account(
                spent_code,
                f"{nummer}: in kind {year}",
                AccountKind.MEMORANDUM_CONTRA,
                currency,
                dims,
                non_negative=True,
            ),
        ]
    return [
        Account(
            cofinancing_source(nummer, source),
            f"{nummer}: {source.value}",
            SOURCE,
            currency,
            source_dims,
        ),
        _stage(spent_code, f"{nummer}: spent {year} from {source.value}", dims, currency),
    ]
