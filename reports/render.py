"""The reconciliation for people (Dutch by default, via Babel) and for programs (JSON).

Formatting happens here, at the edge, and never feeds back into arithmetic.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from babel.numbers import format_decimal

from ledger import words
from ledger.money import Money
from ledger.regio.model import BudgetChangeKind
from ledger.rounding import round_ratio
from reports.describe import describe_change
from reports.messages import COMPARISON_WORDS, CONTROLS, LABELS, LOCALES, UNDERSPENDING
from reports.reconciliation import Reconciliation, TrancheFigures
from reports.underspending import Underspending

FIGURES = (
    "budget",
    "shifted_in",
    "shifted_out",
    "added",
    "reserved",
    "committed",
    "granted",
    "paid",
    "spent_rijk",
    "cofinancing_cash",
    "in_kind",
    "settled",
    "recoverable",
    "recovered",
    "lapsed",
    "available_free",
    "available_reserved",
)


def euro(amount: Money, lang: str = "nl") -> str:
    """An amount in its currency (the one formatter, ``ledger.words``)."""
    return words.money(amount, lang)


def day(value: date, lang: str = "nl") -> str:
    return words.day(value, lang)


def _tranche_lines(t: TrancheFigures, lang: str) -> list[str]:
    label = LABELS[lang]
    lines = [f"  {t.name} ({t.code})"]
    for name in FIGURES:
        lines.append(f"    {label[name]:<34} {euro(getattr(t, name), lang):>24}")
    for event in t.article_transfers:
        lines.append(
            f"    {label['article_transfer']}: {day(event.effective_on, lang)} {euro(event.amount, lang)} "
            f"({event.name}) [{label['entries']} {event.entry}; {event.source_document or '-'}]"
        )
    lines.append(f"    {label['history']}:")
    for change in t.history:
        sign = (
            "·"
            if change.kind == BudgetChangeKind.RESERVE
            else ("-" if change.from_tranche == t.code else "+")
        )
        lines.append(
            f"      {day(change.effective_on, lang):>18}  {sign}{euro(change.amount, lang):>22}  "
            f"{describe_change(change, lang)} [{label['entries']} {change.entry}; {change.source_document or '-'}]"
        )
    for event in t.reserve_releases:
        lines.append(
            f"      {day(event.effective_on, lang):>18}  ·{euro(event.amount, lang):>22}  "
            f"{label['reserve_release']}: {event.name} [{label['entries']} {event.entry}; {event.source_document or '-'}]"
        )
    for control in t.controls:
        state = (
            label["ok"]
            if control.ties_out
            else f"{label['not_ok']} ({euro(control.difference, lang)})"
        )
        lines.append(f"    {label['controls']}: {CONTROLS[lang][control.name]}: {state}")
    return lines


def render_text(
    reconciliation: Reconciliation, lang: str = "nl", illustrative: bool = False
) -> str:
    label = LABELS[lang]
    lines = [label["title"].format(date=day(reconciliation.as_of, lang)), ""]
    for envelope in reconciliation.envelopes:
        lines.append(f"{envelope.name} ({envelope.code}): {euro(envelope.amount, lang)}")
        lines.append(
            f"  {label['allocated']}: {euro(envelope.allocated, lang)}; {label['set_aside']}: {euro(envelope.set_aside_total, lang)}; {label['unallocated']}: {euro(envelope.unallocated, lang)}"
        )
        for event in envelope.set_aside:
            lines.append(
                f"    {day(event.effective_on, lang)}: {event.name}: {euro(event.amount, lang)} "
                f"[{label['entries']} {event.entry}; {event.source_document or '-'}]"
            )
        for control in envelope.controls:
            state = (
                label["ok"]
                if control.ties_out
                else f"{label['not_ok']} ({euro(control.difference, lang)})"
            )
            lines.append(f"  {label['controls']}: {CONTROLS[lang][control.name]}: {state}")
        for tranche in envelope.tranches:
            lines += _tranche_lines(tranche, lang)
        lines.append("")
    lines += _difference_lines(reconciliation, lang)
    lines += _deal_lines(reconciliation, lang)
    if illustrative:
        lines += ["", label["illustrative"]]
    return "\n".join(lines)


def _difference_lines(reconciliation: Reconciliation, lang: str) -> list[str]:
    label, words = LABELS[lang], COMPARISON_WORDS[lang]
    lines = [label["differences"]]
    for d in reconciliation.differences:
        state = words[d.status]
        if d.is_open:
            state += f" {euro(d.difference, lang)}"
        if d.reason:
            state += f" ({words[d.reason]})"
        when = day(d.published_on, lang) if d.dated else words["undated"]
        lines.append(
            f"  {when}: {d.name_in(lang)}: {euro(d.published, lang)} ; {label['ledger']} {euro(d.ledger, lang)} -> {state}"
        )
        lines.append(f"      ({d.source})")
        lines += [f"      ({words['also']}: {other})" for other in d.other_sources]
    return [*lines, ""]


def _deal_lines(reconciliation: Reconciliation, lang: str) -> list[str]:
    label = LABELS[lang]
    lines = [label["deals"]]
    for row in reconciliation.deals:
        flags = [label[f] for f in ("shortfall", "realised_shortfall") if getattr(row, f)]
        if row.deal.cofinancing_exception:
            flags.append(f"{label['exception']}: {row.deal.cofinancing_exception}")
        ratio = format_decimal(row.pledged_ratio, format="0.00", locale=LOCALES[lang])
        realised = row.realised_counted_ratio
        shown = "-" if realised is None else format_decimal(realised, "0.00", locale=LOCALES[lang])
        lines.append(
            f"  {row.deal.code:<28} {label['rijksbijdrage']} {euro(row.deal.rijksbijdrage, lang):>20}  "
            f"{label['pledged']} {euro(row.pledged_regional, lang):>20}  {label['ratio']} {ratio}  "
            f"{label['realised']} {shown} {' '.join(flags)}".rstrip()
        )
    return lines


def _money(amount: Money) -> dict[str, str]:
    return {"amount": str(amount.amount), "currency": amount.currency}


def to_json(reconciliation: Reconciliation, illustrative: bool = False) -> str:
    document = {
        "as_of": reconciliation.as_of.isoformat(),
        "currency": "EUR",
        "ties_out": reconciliation.ties_out,
        "illustrative_data": illustrative,
        "envelopes": [_envelope_json(e) for e in reconciliation.envelopes],
        "differences": [_difference_json(d) for d in reconciliation.differences],
        "deals": [_deal_json(r) for r in reconciliation.deals],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _tranche_json(t: TrancheFigures) -> dict[str, Any]:
    return {
        "code": t.code,
        "name": t.name,
        **{name: str(getattr(t, name).amount) for name in FIGURES},
        "available": str(t.available.amount),
        "history": [
            {
                "effective_on": c.effective_on.isoformat(),
                "kind": c.kind,
                "from_tranche": c.from_tranche,
                "to_tranche": c.to_tranche,
                "amount": str(c.amount.amount),
                "entry": c.entry,
                "memo": c.memo,
                "reason": c.reason,
                "source_document": c.source_document,
            }
            for c in t.history
        ],
        "controls": controls_json(t.controls),
    }


def controls_json(controls: list[Any]) -> list[dict[str, Any]]:
    """Each control as a difference that must be zero, and whether it is."""
    return [
        {"name": c.name, "difference": str(c.difference.amount), "ties_out": c.ties_out}
        for c in controls
    ]


def _envelope_json(e: Any) -> dict[str, Any]:
    return {
        "code": e.code,
        "name": e.name,
        "amount": str(e.amount.amount),
        "allocated": str(e.allocated.amount),
        "unallocated": str(e.unallocated.amount),
        "tranches": [_tranche_json(t) for t in e.tranches],
        "controls": controls_json(e.controls),
    }


def _difference_json(d: Any) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "key": d.key,
        "name": d.name,
        "source": d.source,
        "published_on": d.published_on.isoformat(),
        "dated": d.dated,
        "published": str(d.published.amount),
        "ledger": str(d.ledger.amount),
        "difference": str(d.difference.amount),
        "status": d.status,
        "reason": d.reason or None,
        "open": d.is_open,
        "entries": list(d.entries),
        "other_sources": list(d.other_sources),
    }


def _deal_json(r: Any) -> dict[str, Any]:
    return {
        "code": r.deal.code,
        "name": r.deal.name,
        "tranche": r.deal.tranche,
        "rijksbijdrage": str(r.deal.rijksbijdrage.amount),
        "granted": str(r.granted.amount),
        "paid": str(r.paid.amount),
        "spent_rijk": str(r.spent_rijk.amount),
        "cofinancing_cash": str(r.cofinancing_cash.amount),
        "in_kind": str(r.in_kind.amount),
        "pledged_regional": str(r.pledged_regional.amount),
        "pledged_ratio": str(round_ratio(r.pledged_ratio)),
        "shortfall": r.shortfall,
        "realised_ratio": None
        if r.realised_counted_ratio is None
        else str(round_ratio(r.realised_counted_ratio)),
        "realised_shortfall": r.realised_shortfall,
        "cofinancing_exception": r.deal.cofinancing_exception,
    }


def underspending_json(u: Underspending) -> dict[str, Any]:
    return {
        "beschikking": u.beschikking.nummer,
        "deal": u.deal,
        "recipient": u.beschikking.recipient,
        "granted": str(u.granted.amount),
        "paid": str(u.paid.amount),
        "spent_rijk": str(u.spent.amount),
        "measured_to": u.measured_to.isoformat(),
        "spending_ends_on": u.period_ends.isoformat(),
        "elapsed": str(round_ratio(u.elapsed)),
        "projected": str(u.projected.amount),
        "shortfall": str(u.shortfall.amount),
        "terugvordering": str(u.terugvordering.amount),
        "lapses": str(u.lapses.amount),
    }


def render_underspending(rows: list[Underspending], as_of: date, lang: str = "nl") -> str:
    words = UNDERSPENDING[lang]
    lines = [words["title"].format(date=day(as_of, lang)), words["rule"], ""]
    for u in rows:
        share = format_decimal(u.elapsed * 100, format="0", locale=LOCALES[lang]) + "%"
        lines += [
            f"{u.beschikking.nummer} ({u.deal}), {words['ends']} {day(u.period_ends, lang)}",
            f"  {words['granted']} {euro(u.granted, lang)}; {words['paid']} {euro(u.paid, lang)}; "
            f"{words['spent']} {euro(u.spent, lang)} {words['by'].format(date=day(u.measured_to, lang), share=share)}",
            f"  {words['projected']} {euro(u.projected, lang)}; {words['shortfall']} {euro(u.shortfall, lang)}: "
            f"{words['terugvordering']} {euro(u.terugvordering, lang)}, {words['lapses']} {euro(u.lapses, lang)}",
        ]
    if not rows:
        lines.append(words["none"])
    return "\n".join(lines)
