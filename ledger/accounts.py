"""Accounts: what can be booked on, in which currency, on which side it grows, and its limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ledger.errors import LedgerError
from ledger.money import currency_exponent
from ledger.said import said


class Side(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"

    @property
    def opposite(self) -> Side:
        return Side.CREDIT if self is Side.DEBIT else Side.DEBIT


class AccountKind(StrEnum):
    """The kind of an account fixes its normal side (the side on which it grows).

    ``budget`` accounts hold a stage of budget money (unallocated, available, committed,
    granted, paid); ``budget_source`` accounts are where budget comes from (the appropriation
    in the Rijksbegroting). ``memorandum`` and ``memorandum_contra`` keep values that are not
    cash, such as contributions in kind, off the cash books: an entry may not mix them with
    other kinds.
    """

    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"
    BUDGET = "budget"
    BUDGET_SOURCE = "budget_source"
    MEMORANDUM = "memorandum"
    MEMORANDUM_CONTRA = "memorandum_contra"

    @property
    def normal_side(self) -> Side:
        return _NORMAL_SIDES[self]

    @property
    def is_memorandum(self) -> bool:
        return self in (AccountKind.MEMORANDUM, AccountKind.MEMORANDUM_CONTRA)


_NORMAL_SIDES = {
    AccountKind.ASSET: Side.DEBIT,
    AccountKind.EXPENSE: Side.DEBIT,
    AccountKind.BUDGET_SOURCE: Side.DEBIT,
    AccountKind.MEMORANDUM: Side.DEBIT,
    AccountKind.LIABILITY: Side.CREDIT,
    AccountKind.EQUITY: Side.CREDIT,
    AccountKind.INCOME: Side.CREDIT,
    AccountKind.BUDGET: Side.CREDIT,
    AccountKind.MEMORANDUM_CONTRA: Side.CREDIT,
}


@dataclass(frozen=True, slots=True)
class Dimensions:
    """Where an account belongs in the Regio Deals: all optional, all queryable."""

    envelope: str | None = None
    tranche: str | None = None
    deal: str | None = None
    beschikking: str | None = None
    organisation: str | None = None
    year: int | None = None

    def matches(self, wanted: Dimensions) -> bool:
        """True when every dimension set in ``wanted`` has the same value here."""
        for name in DIMENSION_NAMES:
            value = getattr(wanted, name)
            if value is not None and getattr(self, name) != value:
                return False
        return True


DIMENSION_NAMES: tuple[str, ...] = (
    "envelope",
    "tranche",
    "deal",
    "beschikking",
    "organisation",
    "year",
)


@dataclass(frozen=True, slots=True)
class Account:
    """An account. ``non_negative`` is its balance limit: the balance on the normal side may
    never go below zero (TigerBeetle's ``debits_must_not_exceed_credits`` for a credit-normal
    account). ``closed`` accounts take no new postings."""

    code: str
    name: str
    kind: AccountKind
    currency: str = "EUR"
    dimensions: Dimensions = field(default_factory=Dimensions)
    non_negative: bool = False
    closed: bool = False

    def __post_init__(self) -> None:
        if not self.code or self.code != self.code.strip() or len(self.code) > 200:
            raise LedgerError.single(
                "invalid_account_code",
                said(
                    "Account code {self!r} must be 1-200 characters without surrounding spaces.",
                    self=self.code,
                ),
                account=self.code,
            )
        object.__setattr__(self, "kind", AccountKind(self.kind))
        currency_exponent(self.currency)

    @property
    def normal_side(self) -> Side:
        return self.kind.normal_side
