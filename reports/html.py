"""HTML for people: Jinja2 templates (``reports/templates``) with the message catalogue and
Babel's formats as filters. Autoescaping is on; templates never format numbers themselves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from jinja2 import Environment, PackageLoader, select_autoescape

from ledger.money import Money
from reports.messages import CHARTS, COMPARISON_WORDS, CONTROLS, LABELS, LOCALES, PAGES, WORDS
from reports.render import day, euro


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["html"])
    )
    env.filters["day"] = _day
    env.filters["money"] = _money
    env.filters["ratio"] = lambda value, lang="nl": (
        "–"
        if value is None
        else format_decimal(
            Decimal(value).quantize(Decimal("0.01")), format="#,##0.00", locale=LOCALES[lang]
        )
    )
    env.filters["euro"] = _euro
    return env


def _euro(amount: Money | None, lang: str = "nl") -> str:
    return "" if amount is None else euro(amount, lang)


def _money(amount: str | Decimal | None, currency: str = "EUR", lang: str = "nl") -> str:
    """An amount that travels as a string (an API answer's), said as every page says money."""
    return "" if amount in (None, "") else euro(Money.of(amount, currency), lang)


def _day(value: date | str | None, lang: str = "nl") -> str:
    """A day, or the day of an ISO date or time as an API answer carries it."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return day(value, lang)


STYLE = (Path(__file__).resolve().parent / "templates" / "style.css").read_text(encoding="utf-8")


def standalone(template: str, lang: str = "nl", **context: Any) -> str:
    """A page to save or mail: its style inside, no navigation."""
    return render(template, lang, user=None, standalone=True, standalone_style=STYLE, **context)


def render(template: str, lang: str = "nl", **context: Any) -> str:
    """A page or report in ``lang``; ``t`` holds every label of the catalogue for it."""
    labels = {**LABELS[lang], **WORDS[lang], **PAGES[lang]}
    return (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            t=labels,
            charts=CHARTS[lang],
            controls=CONTROLS[lang],
            compared=COMPARISON_WORDS[lang],
            **context,
        )
    )
