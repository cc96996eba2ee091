"""The published ledger: both Regio Envelops, tranches 1-6 with every published deal and
transfer, each booking dated and citing its source.

- Tranche 1 was no competition: the envelope funded named tasks. Rotterdam-Zuid, Brainport
  Eindhoven and Zeeland are deals (paid by DU); ESTEC and Caribisch Nederland are deals paid by
  departementale overboeking (DO), Caribisch Nederland in two rounds; Petten's nuclear waste is
  envelope money set aside that is no deal; so are the €13M uitvoeringskosten. Tranche 1's
  budget is what its tasks received, each on its own date and source.
- Tranches 2 and 3: opened, then selected (tranche 2 grew from €200M to €215M).
- Tranches 4-6: the plan of July 2022, the Voorjaarsnota 2023 shift and the Groningen reserve,
  the Voorjaarsnota 2024 transfer between budget articles (no envelope money), and the award.
  Tranche 6's 16 deals (€244.3M) exceed its €216.6M after the shift; no source in the list says
  where the €27.7M came from, so the demo books it as money added from outside, labelled
  illustrative, and the published-figures report keeps the difference open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from api.demo.figures import ILLUSTRATIVE, Figure, Recipient, published
from ledger.money import Money
from ledger.regio.db.service import RegioService
from ledger.regio.model import (
    PROGRAMME_COSTS,
    Deal,
    Envelope,
    Organisation,
    OrganisationType,
    Pledge,
    PledgeKind,
    Reservation,
    Tranche,
    Who,
)
from ledger.regio.regelingen import Regeling

ENVELOPE_PERIODS = {
    "RE-2018": (date(2018, 2, 19), date(2022, 12, 31)),
    "RE-2022": (date(2022, 1, 1), date(2025, 12, 31)),
}
TRANCHE_ENVELOPE = {
    "T1": "RE-2018",
    "T2": "RE-2018",
    "T3": "RE-2018",
    "T4": "RE-2022",
    "T5": "RE-2022",
    "T6": "RE-2022",
}
#: Who has been responsible: LNV for tranches 1-3 (2018-2022), BZK (now VRO) since 2022; so
#: every block of a SiSa annex of 2022 or later names BZK.
REBEL = (
    "Rebel, onderzoek naar de rode draden van de Regio Deals voor BZK/VRO, bij Kamerstuk 29 697, nr. 157 "
    "(14 november 2024): 'onder coördinatie van het toenmalige ministerie van LNV' (2018-2022) en "
    "'onder coördinatie van het ministerie van BZK, nu VRO' (2022-2025)"
)
BZK = "Ministerie van BZK (nu VRO)"
#: The regelingen as published, each its own SiSa block: code -> (name, source, instruments,
#: in force from, tranches that follow it). Tranches 1 and 2 were paid as decentralisatie-
#: uitkeringen (no regeling, no SiSa); a DU converted into a SPUK is decided under the regeling
#: its conversion names (in the demo: tranche 3's, the demo's choice). Where a date of entry into
#: force was not found it is left open. No Regio Deals SiSa code was found in the sources
#: searched: the code stays empty and the annex says so.
REGELINGEN: dict[str, tuple[str, str, tuple[str, ...], date | None, tuple[str, ...]]] = {
    "RD-T3": (
        "Specifieke uitkering Regio Deals, derde tranche (vastgesteld door LNV)",
        "Regeling specifieke uitkering Regio Deals derde tranche, Staatscourant 2020, 14351",
        ("SPUK",),
        None,
        ("T3",),
    ),
    "RD-2023": (
        "Regeling specifieke uitkering Regio Deals (vierde tranche)",
        "Regeling specifieke uitkering Regio Deals, Staatscourant 2023, 12561, gepubliceerd op "
        "12 mei 2023 (Kamerbrief 'Voortgangsrapportage Regio Deals 2022', 3 juli 2023, kenmerk "
        "2023-0000392211)",
        ("SPUK",),
        None,  # published 12 May 2023; the demo's illustrative decisions of tranche 4 are earlier
        ("T4",),
    ),
    "RD-BZK": (
        "Besluit specifieke uitkering Regio Deals, tranches 4 tot en met 6",
        "Besluit specifieke uitkering Regio Deals tranches 4 tot en met 6, Staatsblad 2024, 219",
        ("SPUK",),
        None,
        ("T5", "T6"),
    ),
}
#: The regeling a converted SPUK is decided under in the demo (its DU's tranche has none).
CONVERTED_UNDER = "RD-T3"
#: Figures kept to compare with the ledger (``reports.published``): all of them.
DEALS = ("deal", "departmental_transfer")
TASK = "Tranche 1: een opgave uit het regeerakkoord, betaald uit de Regio Envelop"


def load_budgets(regio: RegioService, figures: list[Figure]) -> None:
    """Envelopes, tranches and every dated change of their budgets, before any deal."""
    for f in _of(figures, "envelope"):
        starts, ends = ENVELOPE_PERIODS[f.key]
        regio.open_envelope(
            Envelope(f.key, f.name, f.amount, starts, ends),
            key=f"demo:envelope:{f.key}",
            who=published(f.source),
        )
    for code, envelope in TRANCHE_ENVELOPE.items():
        regio.open_tranche(Tranche(code, envelope, f"Tranche {code[1:]}"))
    for code, (name, source, instruments, starts_on, tranches) in REGELINGEN.items():
        regeling = Regeling(code, name, BZK, source, instruments, starts_on)
        regio.add_regeling(regeling, who=published(source))
        for tranche in tranches:
            regio.assign_regeling(tranche, code, who=published(REBEL))
    _tranche_one(regio, figures)
    _opened_and_selected(regio, figures)
    _planned_and_moved(regio, figures)


def _tranche_one(regio: RegioService, figures: list[Figure]) -> None:
    for f in figures:
        if f.tranche == "T1" and f.kind in (*DEALS, "budget_change"):
            regio.allocate(
                "T1",
                f.amount,
                on=_day(f),
                key=f"demo:allocate:{f.kind}:{f.key}",
                who=published(f.source, TASK),
            )
    for f in _of(figures, "allocation"):
        regio.set_aside(
            "RE-2018",
            f.key,
            f.name.split(":")[0],
            f.amount,
            on=_day(f),
            key=f"demo:set-aside:{f.key}",
            who=published(f.source, "Regio Envelop-geld voor een opgave die geen Regio Deal is"),
        )
    for f in _of(figures, "envelope_implementation_costs"):
        regio.set_aside(
            f.key,
            PROGRAMME_COSTS,
            "Uitvoeringskosten van het programma",
            f.amount,
            on=_day(f),
            key=f"demo:set-aside:{f.key}:{PROGRAMME_COSTS}",
            who=published(f.source, "Uitvoeringskosten uit de Regio Envelop"),
        )


def _opened_and_selected(regio: RegioService, figures: list[Figure]) -> None:
    """Tranches 2 and 3: the budget as opened, then what the selection added."""
    for code in ("T2", "T3"):
        budget = Money.zero()
        for f in sorted(
            (f for f in figures if f.key == code and f.kind in ("tranche_planned", "tranche")),
            key=lambda f: _day(f),
        ):
            if f.amount > budget:
                regio.allocate(
                    code,
                    f.amount - budget,
                    on=_day(f),
                    key=f"demo:allocate:{f.kind}:{code}",
                    who=published(f.source),
                )
                budget = f.amount


def _planned_and_moved(regio: RegioService, figures: list[Figure]) -> None:
    """Tranches 4-6: the July 2022 plan, the shift, the reserve, the article transfer and the
    money tranche 6's awards needed beyond its budget."""
    plan = next(f for f in _of(figures, "tranche_planned") if f.key in ("T5", "T6"))
    for f in figures:
        if f.kind == "tranche" and f.key == "T4":
            regio.allocate(
                "T4",
                f.amount,
                on=_day(plan),
                key="demo:allocate:T4",
                who=published(f"{plan.source}; {f.source}", "Envelopplan juli 2022"),
            )
        elif f.kind == "tranche_planned" and f.key in ("T5", "T6"):
            regio.allocate(
                f.key, f.amount, on=_day(f), key=f"demo:allocate:{f.key}", who=published(f.source)
            )
    for f in _of(figures, "tranche_shift"):
        giver, taker = f.key.split("->")
        regio.shift(
            giver, taker, f.amount, on=_day(f), key=f"demo:shift:{f.key}", who=published(f.source)
        )
    for f in _of(figures, "reservation"):
        reservation = Reservation(f.key, f.tranche, RESERVATION_NAMES.get(f.key, f.name))
        regio.reserve(
            reservation, f.amount, on=_day(f), key=f"demo:reserve:{f.key}", who=published(f.source)
        )
    for f in _of(figures, "budget_transfer"):
        regio.record_article_transfer(
            f.key,
            "Voorjaarsnota 2024: overheveling van de aanvullende post naar de begroting van BZK",
            f.amount,
            on=_day(f),
            key=f"demo:article:{f.key}",
            who=published(f.source, "Overheveling tussen begrotingsartikelen"),
        )
    _cover_awards(regio, figures)


def _cover_awards(regio: RegioService, figures: list[Figure]) -> None:
    """Where a tranche's published deals exceed its published budget, the difference is added
    from outside on the award's date, labelled as the demo's assumption."""
    for after in _of(figures, "tranche_after_shift"):
        code = after.key
        deals = [f for f in _of(figures, "deal") if f.tranche == code]
        gap = sum((f.amount for f in deals), Money.zero()) - after.amount
        if gap.is_positive():
            regio.add_from_outside(
                code,
                gap,
                on=min(_day(f) for f in deals),
                key=f"demo:add:{code}",
                who=Who(
                    "demo-loader",
                    f"Toegekend boven het tranchebudget na de verschuiving ({after.source}); "
                    "geen bron in de lijst zegt waar het verschil vandaan komt",
                    ILLUSTRATIVE,
                ),
            )


def _release_unused(regio: RegioService, figures: list[Figure]) -> None:
    """A reservation whose deals cannot use all of it, as whole deals, gives the rest back to
    its tranche on the day they were selected. Tranche 5's €50M for Groningen: its Groningen
    proposals took €54.6M, but a deal is paid from one place, so €42.5M is booked on the
    reservation and Het Hogeland's €12.1M on the tranche; the €7.5M left goes back."""
    for r in _of(figures, "reservation"):
        deals = [f for f in _of(figures, "deal") if _deal(f).reservation == r.key]
        rest = r.amount - sum((f.amount for f in deals), Money.zero())
        if deals and rest.is_positive():
            regio.release_reservation(
                r.key,
                rest,
                on=min(_day(f) for f in deals),
                key=f"demo:release:{r.key}",
                who=Who(
                    "demo-loader",
                    "Het deel van de reservering dat de deals op de reservering niet gebruiken, "
                    "terug naar de tranche (een deal wordt uit één budget betaald)",
                    r.source,
                ),
            )


def sign_deals(
    regio: RegioService,
    figures: list[Figure],
    recipients: dict[str, Recipient],
    step: Callable[[], None],
) -> list[tuple[Deal, Figure]]:
    """Every published deal and departmental transfer as a signed convenant, citing its source;
    Caribisch Nederland's second round as an amendment of its convenant."""
    _release_unused(regio, figures)
    signed = []
    for f in (f for f in figures if f.kind in DEALS):
        deal = _deal(f)
        _organisations(regio, deal, recipients[f.key])
        regio.sign_deal(deal, key=f"demo:sign:{deal.code}", who=published(f.source))
        signed.append((deal, f))
        step()
    for f in _of(figures, "budget_change"):
        deal = next(d for d, _ in signed if d.code == f.key)
        regio.amend_deal(
            f.key,
            deal.rijksbijdrage + f.amount,
            on=_day(f),
            key=f"demo:amend:{f.key}",
            who=published(f.source, "Tweede ronde uit de Regio Envelop"),
        )
    return signed


def keep_figures(regio: RegioService, figures: list[Figure]) -> None:
    """Every published figure, to be set beside the ledger's own (``report tranches``)."""
    for f in figures:
        if f.amount.is_positive():
            regio.add_published_figure(
                f.kind,
                f.key,
                f.name,
                f.amount,
                _applies_on(f, figures),
                f.source,
                dated=f.on is not None,
            )


def _applies_on(f: Figure, figures: list[Figure]) -> date:
    """An undated figure applies on the latest date of the published figures about the same
    thing (Caribisch Nederland's total: after its second round)."""
    if f.on is not None:
        return f.on
    return max(g.on for g in figures if g.key == f.key and g.on is not None)


RESERVATION_NAMES = {
    "T5-GRONINGEN": "Reservering in tranche 5 voor voorstellen uit Groningen (enquête Aardgaswinning)"
}
#: Names for the convenanten whose published figure describes them in English.
DEAL_NAMES = {
    "T1-ESTEC": "ESTEC en Space Campus Noordwijk (met extra deelname aan ESA-programma's)",
    "T1-CARIBISCH-NEDERLAND": "Caribisch Nederland (Bonaire, Sint Eustatius, Saba)",
}


def _deal(f: Figure) -> Deal:
    return Deal(
        code=f.key,
        name=DEAL_NAMES.get(f.key, f.name),
        tranche=f.tranche,
        rijksbijdrage=f.amount,
        signed_on=_day(f),
        ends_on=date(_day(f).year + 6, 12, 31),
        programme_lines=("Economie", "Leefbaarheid", "Onderwijs"),
        reservation="T5-GRONINGEN" if "GRONINGEN" in f.key and f.tranche == "T5" else None,
        pledges=_pledges(f),
        cofinancing_exception=_exception(f),
    )


def _exception(f: Figure) -> str | None:
    if f.instrument == "BU":
        return "Caribisch Nederland: eilandelijke draagkracht (illustratief)"
    if f.kind == "departmental_transfer":
        return "Departementale overboeking: geen regionale cofinanciering (illustratief)"
    return None


def _pledges(f: Figure) -> tuple[Pledge, ...]:
    """Illustrative pledges: most deals match the Rijksbijdrage 1:1 or more, a few fall short."""
    if f.kind == "departmental_transfer":
        return ()
    weight = Decimal("0.8") if sum(map(ord, f.key)) % 4 == 0 else Decimal("1.1")
    if f.tranche in ("T1", "T2", "T3"):  # then only public money counted (``rules list``)
        return (Pledge(partner_code(f.key), PledgeKind.CASH, _times(f.amount, weight)),)
    return (
        Pledge(partner_code(f.key), PledgeKind.CASH, _times(f.amount, weight * Decimal("0.7"))),
        Pledge(in_kind_code(f.key), PledgeKind.IN_KIND, _times(f.amount, weight * Decimal("0.3"))),
    )


def _times(amount: Money, factor: Decimal) -> Money:
    return Money.of((amount.amount * factor).quantize(Decimal("0.01")))


def partner_code(key: str) -> str:
    return f"PARTNER-{key}"


def in_kind_code(key: str) -> str:
    return f"INKIND-{key}"


def _organisations(regio: RegioService, deal: Deal, recipient: Recipient) -> None:
    regio.add_organisation(recipient.organisation)
    regio.add_organisation(
        Organisation(
            partner_code(deal.code),
            f"Regionale partners {deal.name} (illustratief)",
            OrganisationType.PUBLIEK,
        )
    )
    regio.add_organisation(
        Organisation(
            in_kind_code(deal.code),
            f"Bedrijven en instellingen {deal.name} (illustratief)",
            OrganisationType.PRIVAAT,
        )
    )


def _of(figures: list[Figure], kind: str) -> list[Figure]:
    return [f for f in figures if f.kind == kind]


def _day(f: Figure) -> date:
    if f.on is None:
        raise ValueError(f"the published figure {f.kind} {f.key} has no date to book it on")
    return f.on
