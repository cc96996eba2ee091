"""Exact money: a Decimal amount in one currency, exact at that currency's minor unit.

``Money`` refuses floats, booleans, NaN and infinities, and any amount with more decimals
than its currency has (``Money.of("0.005", "EUR")`` is an error, never a rounding).
The database stores minor units (cents) as integers; ``minor_units`` and ``from_minor_units``
convert without loss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ledger.errors import LedgerError
from ledger.said import said

#: Currencies the ledger books, with the number of decimals of their minor unit (ISO 4217).
CURRENCY_EXPONENTS: dict[str, int] = {"EUR": 2, "USD": 2}


def currency_exponent(currency: str) -> int:
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise LedgerError.single(
            "unknown_currency",
            said(
                "Currency {currency!r} is not booked here; use one of {currencies}.",
                currency=currency,
                currencies=sorted(CURRENCY_EXPONENTS),
            ),
            currency=currency,
        ) from None


#: An amount written as text: ASCII digits only (Python's Decimal would read ``"١٢"`` as 12),
#: an optional sign and decimal point, no exponent.
_DECIMAL_TEXT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)


def to_decimal(value: object) -> Decimal:
    """Turn an int, a Decimal or a numeric string into a Decimal; refuse floats outright."""
    if isinstance(value, (bool, float)):
        raise LedgerError.single(
            "float_amount",
            said(
                "Amount {value!r} is a {type}; pass a Decimal, an int or a string.",
                value=value,
                type=type(value).__name__,
            ),
            value=value,
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            if not _DECIMAL_TEXT.fullmatch(value.strip()):
                raise InvalidOperation
            result = Decimal(value.strip())
        except InvalidOperation:
            raise LedgerError.single(
                "invalid_amount",
                said("{value!r} is not a number.", value=value),
                value=value,
            ) from None
    else:
        raise LedgerError.single(
            "invalid_amount",
            said(
                "Amount {value!r} of type {type} is not a number.",
                value=value,
                type=type(value).__name__,
            ),
            value=value,
        )
    if not result.is_finite():
        raise LedgerError.single(
            "invalid_amount",
            said("{value!r} is not a finite number.", value=value),
        )
    return result


@dataclass(frozen=True, slots=True, order=False)
class Money:
    amount: Decimal
    currency: str
    _minor_units: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        amount = to_decimal(self.amount)
        exponent = currency_exponent(self.currency)
        quantum = Decimal(1).scaleb(-exponent)
        if amount != amount.quantize(quantum, rounding="ROUND_DOWN"):
            raise LedgerError.single(
                "inexact_amount",
                said(
                    "{amount} {currency} has more than {exponent} decimals; amounts are never rounded silently.",
                    amount=amount,
                    currency=self.currency,
                    exponent=exponent,
                ),
                amount=amount,
                currency=self.currency,
            )
        object.__setattr__(self, "amount", amount.quantize(quantum))
        object.__setattr__(self, "_minor_units", int(amount.scaleb(exponent)))

    @classmethod
    def of(cls, value: object, currency: str = "EUR") -> Money:
        return cls(to_decimal(value), currency)

    @classmethod
    def zero(cls, currency: str = "EUR") -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor_units(cls, units: int, currency: str = "EUR") -> Money:
        if not isinstance(units, int) or isinstance(units, bool):
            raise TypeError(f"minor units must be an int, not {type(units).__name__}")
        # Whole minor units are exact by construction: no check to make, so none is paid for
        # (this is the path of every amount read from the database).
        exponent = currency_exponent(currency)
        money = object.__new__(cls)
        object.__setattr__(money, "amount", Decimal(units).scaleb(-exponent))
        object.__setattr__(money, "currency", currency)
        object.__setattr__(money, "_minor_units", units)
        return money

    @property
    def minor_units(self) -> int:
        """The amount in the currency's minor unit (cents), exact."""
        return self._minor_units

    def _same_currency(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise LedgerError.single(
                "currency_mismatch",
                said(
                    "Cannot combine {currency} with {currency2}.",
                    currency=self.currency,
                    currency2=other.currency,
                ),
            )

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount >= other.amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_positive(self) -> bool:
        return self.amount > 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
