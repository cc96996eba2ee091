"""The one formatter of amounts and dates for people: Dutch by default, English on request
(Babel). Reports, refusals and workbooks all say an amount through ``money``; nothing formatted
here ever feeds back into arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.money import Money

LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def money(amount: Money, lang: str = "nl") -> str:
    """``€ 1.234,50`` (nl) or ``€1,234.50`` (en); dollars as ``US$ 1.234,50`` / ``US$1,234.50``."""
    from babel.numbers import format_currency  # Babel when something is said, not at start-up

    return format_currency(amount.amount, amount.currency, locale=LOCALES[lang])


def day(value: date, lang: str = "nl") -> str:
    """``30 juni 2025`` (nl) or ``30 June 2025`` (en)."""
    from babel.dates import format_date

    return format_date(value, format="long", locale=LOCALES[lang])


@dataclass(frozen=True, slots=True)
class Day:
    """A date inside a refusal (``ledger.said``), as each language writes it."""

    value: date

    def in_(self, lang: str) -> str:
        return day(self.value, lang)


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount inside a refusal (``ledger.said``), as each language writes it."""

    value: Money

    def in_(self, lang: str) -> str:
        return money(self.value, lang)
