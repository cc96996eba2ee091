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

#: Currencies the ledger books, with the number of decimals of their minor unit (ISO 4217).
CURRENCY_EXPONENTS: dict[str, int] = {"EUR": 2, "USD": 2}


def currency_exponent(currency: str) -> int:
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise LedgerError.single(
            "unknown_currency",
            f"Currency {currency!r} is not booked here; use one of {sorted(CURRENCY_EXPONENTS)}.",
            f"Valuta {currency!r} wordt hier niet geboekt; gebruik {sorted(CURRENCY_EXPONENTS)}.",
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
            f"Amount {value!r} is a {type(value).__name__}; pass a Decimal, an int or a string.",
            f"Bedrag {value!r} is een {type(value).__name__}; geef een Decimal, int of tekst.",
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
                f"{value!r} is not a number.",
                f"{value!r} is geen getal.",
                value=value,
            ) from None
    else:
        raise LedgerError.single(
            "invalid_amount",
            f"Amount {value!r} of type {type(value).__name__} is not a number.",
            f"Bedrag {value!r} van type {type(value).__name__} is geen getal.",
            value=value,
        )
    if not result.is_finite():
        raise LedgerError.single(
            "invalid_amount",
            f"{value!r} is not a finite number.",
            f"{value!r} is geen eindig getal.",
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
                f"{amount} {self.currency} has more than {exponent} decimals; "
                "amounts are never rounded silently.",
                f"{amount} {self.currency} heeft meer dan {exponent} decimalen; "
                "bedragen worden nooit stilzwijgend afgerond.",
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
                f"Cannot combine {self.currency} with {other.currency}.",
                f"{self.currency} en {other.currency} kunnen niet worden opgeteld.",
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
