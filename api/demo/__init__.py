"""The demo ledger: every published Regio Deals figure, each booking citing its source
(``api.demo.published``), plus a clearly labelled illustrative part — beschikkingen, payments,
spending, co-financing — for what is not public (``api.demo.illustration``). Every booking has
a fixed key, so loading twice books nothing new."""

from __future__ import annotations

from collections.abc import Callable

from api.demo.begroting import load_begroting
from api.demo.figures import FIGURES, ILLUSTRATIVE, Figure, read_figures, read_recipients
from api.demo.illustration import illustrate, transfer_second_round
from api.demo.published import DEALS, keep_figures, load_budgets, sign_deals
from ledger.regio.db.service import RegioService

__all__ = ["FIGURES", "ILLUSTRATIVE", "demo_steps", "load_demo", "read_figures"]


def demo_steps(figures: list[Figure] | None = None) -> int:
    """How many steps ``load_demo`` reports: two per deal (signing, then its illustration)."""
    return 2 * sum(1 for f in (figures or read_figures()) if f.kind in DEALS)


def load_demo(
    regio: RegioService,
    figures: list[Figure] | None = None,
    step: Callable[[], None] = lambda: None,
) -> None:
    figures = figures or read_figures()
    recipients = read_recipients()
    load_budgets(regio, figures)
    signed = sign_deals(regio, figures, recipients, step)
    for deal, figure in signed:
        illustrate(regio, deal, figure, recipients[deal.code])
        step()
    for f in (f for f in figures if f.kind == "budget_change"):
        deal = next(d for d, _ in signed if d.code == f.key)
        assert f.on is not None
        transfer_second_round(regio, deal, f.amount, f.on, recipients[f.key])
    keep_figures(regio, figures)
    load_begroting(regio, figures)
