"""The Regio Envelop 2022-2025 in the Rijksbegroting's terms, as far as the sources say.

- The envelope waits on the aanvullende post (AP). Its plan per year (€284.2M in 2023, €300.6M
  in 2024 and 2025, one tranche a year) is the AP's commitments budget, as the plan of July
  2022 gives it.
- The Voorjaarsnota 2023 brought €84M of tranche 6 forward to tranche 5: on the AP, a schuif
  of commitments budget from 2025 to 2024 (Kamerbrief 3 juli 2023).
- The Voorjaarsnota 2024 moved "de laatste middelen", €257.1M for tranche 6, from the AP to
  BZK's budget (Kamerbrief 7 mei 2024, Kamerstuk 29 697, nr. 146): an overboeking of
  commitments budget for 2025, the year tranche 6 is decided. The AP held €216.6M for tranche 6
  after the schuif; the letter moves €40.5M more. That is the reading the text supports (all of
  it for tranche 6): it covers the 16 deals of tranche 6 (€244.3M), and the €27.7M the tranche
  view books as "added from outside" is part of it. No source in the list says how the €40.5M
  came onto the AP, so the demo books that addition as illustrative, and the other reading
  (part of the €257.1M served another purpose) stays an open item (``OPEN_ITEMS``).
- Tranches 4 and 5 must have moved from the AP to BZK's article before "the last funds" did;
  no source in the list gives those overboekingen, so the demo books them, illustrative, at the
  start of the year of each tranche's selection.
- No source in the list gives article numbers or a cash series (kasreeks): the article codes are
  the demo's own, and no cash budget is booked.
"""

from __future__ import annotations

from datetime import date

from api.demo.figures import ILLUSTRATIVE, Figure, published
from ledger.money import Money
from ledger.regio.begroting import Article, Line, Mutation, MutationKind, Stelsel
from ledger.regio.db.service import RegioService
from ledger.regio.model import Who

C = Stelsel.COMMITMENTS
AP = Article("AP", "Financiën", "IXB", "AP", "Aanvullende post")
REGIO_DEALS = Article("BZK-RD", "BZK", "VII", "RD", "Regio Deals", tranches=("T4", "T5", "T6"))
NAMED_BY = (
    "Kamerbrief 'Voortgangsrapportage Regio Deals 2023', Minister van BZK H.M. de Jonge, "
    "7 mei 2024, kenmerk 2024-0000237769 (Kamerstuk 29 697, nr. 146): names the aanvullende "
    "post and the begroting van BZK; the article codes are the demo's own"
)
#: The year each tranche of the Regio Envelop 2022-2025 is decided, as planned in July 2022.
TRANCHE_YEARS = {"T4": 2023, "T5": 2024, "T6": 2025}
#: What the sources leave open about the budget view, each with both readings' sources.
OPEN_ITEMS = (
    "Voorjaarsnota 2024: €257.1M moved for tranche 6 where tranche 6 held €216.6M after the "
    "shift. Booked: all of it for tranche 6 (the letter: 'Voor de zesde tranche ... € 257,1 "
    "miljoen de laatste middelen', Kamerstuk 29 697, nr. 146), the €40.5M more added to the AP "
    "as illustrative. Open: that part of it served another purpose (the shift's figures, "
    "Kamerbrief 3 juli 2023, kenmerk 2023-0000392211, leave €216.6M for tranche 6).",
    "Tranches 4 and 5: their overboekingen from the AP to BZK are in no source in the list; "
    "booked as illustrative.",
    "No cash series (kasreeks) and no article numbers are in the sources in the list.",
)


def _only(figures: list[Figure], kind: str, key: str) -> Figure:
    [found] = [f for f in figures if f.kind == kind and f.key == key]
    return found


def load_begroting(regio: RegioService, figures: list[Figure]) -> None:
    for article in (AP, REGIO_DEALS):
        regio.open_article(article, who=published(NAMED_BY, "Begrotingsartikel"))
    plan = [_only(figures, "tranche_planned", t) for t in ("T5", "T6")]
    t4 = _only(figures, "tranche", "T4").amount  # the plan's €284.2M, as selected
    planned = {"T4": t4, "T5": plan[0].amount, "T6": plan[1].amount}
    _mutate(
        regio,
        "demo:begroting:plan-2022",
        Mutation(
            MutationKind.INITIAL,
            AP.code,
            "Regio Envelop 2022-2025 op de aanvullende post (plan juli 2022)",
            plan[0].on or date(2022, 7, 14),
            tuple(Line(TRANCHE_YEARS[t], C, amount) for t, amount in planned.items()),
        ),
        published(plan[0].source, "Plan per jaar van de Regio Envelop 2022-2025"),
    )
    shift = _only(figures, "tranche_shift", "T6->T5")
    _mutate(
        regio,
        "demo:begroting:vjn-2023",
        Mutation(
            MutationKind.KASSCHUIF,
            AP.code,
            "Voorjaarsnota 2023: tranche 6 naar voren naar tranche 5",
            shift.on or date(2023, 6, 1),
            (Line(2025, C, -shift.amount), Line(2024, C, shift.amount)),
        ),
        published(shift.source, "Schuif tussen jaren"),
    )
    _earlier_tranches(regio, planned, shift.amount)
    _last_funds(regio, figures, planned["T6"] - shift.amount)


def _earlier_tranches(regio: RegioService, planned: dict[str, Money], shift: Money) -> None:
    for tranche, amount in (("T4", planned["T4"]), ("T5", planned["T5"] + shift)):
        year = TRANCHE_YEARS[tranche]
        _mutate(
            regio,
            f"demo:begroting:overboeking-{tranche}",
            Mutation(
                MutationKind.OVERBOEKING,
                REGIO_DEALS.code,
                f"Tranche {tranche[1]} van de aanvullende post naar BZK",
                date(year, 1, 1),
                (Line(year, C, amount),),
                from_article=AP.code,
            ),
            Who("demo-loader", "Overboeking zonder bron in de lijst", ILLUSTRATIVE),
        )


def _last_funds(regio: RegioService, figures: list[Figure], held: Money) -> None:
    moved = _only(figures, "budget_transfer", "T6")
    on = moved.on or date(2024, 5, 7)
    _mutate(
        regio,
        "demo:begroting:ap-addition-T6",
        Mutation(
            MutationKind.INITIAL,
            AP.code,
            "Aanvulling van de aanvullende post voor tranche 6 (geen bron in de lijst)",
            on,
            (Line(2025, C, moved.amount - held),),
        ),
        Who("demo-loader", "Verschil tussen de overboeking en tranche 6", ILLUSTRATIVE),
    )
    _mutate(
        regio,
        "demo:begroting:vjn-2024",
        Mutation(
            MutationKind.OVERBOEKING,
            REGIO_DEALS.code,
            "Voorjaarsnota 2024: de laatste middelen voor tranche 6 naar de begroting van BZK",
            on,
            (Line(TRANCHE_YEARS["T6"], C, moved.amount),),
            from_article=AP.code,
        ),
        published(moved.source, "Overboeking van de aanvullende post"),
    )


def _mutate(regio: RegioService, key: str, mutation: Mutation, who: Who) -> None:
    regio.record_budget_mutation(mutation, key=key, who=who)
