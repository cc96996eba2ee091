"""Rules of a deal (convenant): its shape, partners and dates, and its corrections through the
domain (amendment, withdrawal, extension); its pledged co-financing against the tranche's rule."""

from __future__ import annotations

from datetime import date

from ledger import words
from ledger.errors import Problem
from ledger.money import Money
from ledger.regio.model import (
    Deal,
    Envelope,
    Organisation,
    OrganisationType,
    PledgeKind,
)
from ledger.regio.rules.budget import check_in_envelope
from ledger.regio.rules.common import check_codes, not_before, problem
from ledger.regio.rules.tables import cofinancing_rule


def counted_pledges(deal: Deal) -> Money:
    """The pledged regional money that counts under the deal's tranche's co-financing rule."""
    rule = cofinancing_rule(deal.tranche)
    return sum(
        (
            p.amount
            for p in deal.pledges
            if (rule.counts_private or not p.private)
            and (rule.counts_in_kind or p.kind is not PledgeKind.IN_KIND)
        ),
        Money.zero(),
    )


def cofinancing_short(deal: Deal) -> bool:
    """The counted pledges fall below the rule's ratio, and no exception is recorded."""
    rule = cofinancing_rule(deal.tranche)
    if deal.cofinancing_exception or not deal.rijksbijdrage.is_positive():
        return False
    return counted_pledges(deal).amount < deal.rijksbijdrage.amount * rule.minimum_ratio


def check_partner(organisation: Organisation | None, partner: str) -> list[Problem]:
    if organisation is None:
        return [
            problem(
                "unknown_organisation",
                f"Partner {partner} is not a known organisation; add it first.",
                f"Partner {partner} is geen bekende organisatie; voeg die eerst toe.",
                organisation=partner,
            )
        ]
    if organisation.type is OrganisationType.RIJK:
        return [
            problem(
                "rijk_as_cofinancier",
                f"{organisation.name} is part of the Rijk: regional co-financing may not come from the Rijk.",
                f"{organisation.name} hoort bij het Rijk: regionale cofinanciering mag niet van het Rijk komen.",
                organisation=partner,
            )
        ]
    return []


def check_deal(deal: Deal) -> list[Problem]:
    problems = check_codes(deal=deal.code, tranche=deal.tranche, reservation=deal.reservation)
    problems += check_codes(**{f"partner {n + 1}": p.partner for n, p in enumerate(deal.pledges)})
    if not deal.rijksbijdrage.is_positive() or deal.rijksbijdrage.currency != "EUR":
        problems.append(
            problem(
                "invalid_amount",
                f"Deal {deal.code}: the Rijksbijdrage must be a positive euro amount.",
                f"Deal {deal.code}: de Rijksbijdrage moet een positief bedrag in euro zijn.",
            )
        )
    if deal.ends_on < deal.signed_on:
        problems.append(
            problem(
                "invalid_period",
                f"Deal {deal.code} ends before it is signed.",
                f"Deal {deal.code} eindigt voor de ondertekening.",
            )
        )
    for pledge in deal.pledges:
        if not pledge.amount.is_positive():
            problems.append(
                problem(
                    "invalid_amount",
                    f"Deal {deal.code}: pledge of {pledge.partner} must be positive.",
                    f"Deal {deal.code}: toezegging van {pledge.partner} moet positief zijn.",
                )
            )
    return problems


def check_deal_dates(deal: Deal, envelope: Envelope, budget_since: date | None) -> list[Problem]:
    """A convenant is signed inside its envelope's period, and not before its tranche (or its
    reservation) had budget to commit."""
    what = (f"Convenant {deal.code}", f"Convenant {deal.code}")
    problems = check_in_envelope(what, deal.signed_on, envelope)
    if budget_since is None:
        where = f"reservation {deal.reservation}" if deal.reservation else f"tranche {deal.tranche}"
        problems.append(
            problem(
                "deal_before_budget",
                f"Convenant {deal.code}: {where} has no budget yet; allocate it first.",
                f"Convenant {deal.code}: {where} heeft nog geen budget; ken dat eerst toe.",
            )
        )
    else:
        problems += not_before(
            "deal_before_budget",
            what,
            deal.signed_on,
            budget_since,
            ("the day its budget arrived", "de dag waarop het budget er was"),
        )
    return problems


def check_deal_open(deal: Deal, on: date) -> list[Problem]:
    if deal.withdrawn_on is not None:
        return [
            problem(
                "deal_withdrawn",
                f"Convenant {deal.code} was withdrawn on {deal.withdrawn_on}; nothing more is booked on it.",
                f"Convenant {deal.code} is op {deal.withdrawn_on} ingetrokken; er wordt niets meer op geboekt.",
            )
        ]
    return not_before(
        "before_signing",
        (f"A change of convenant {deal.code}", f"Een wijziging van convenant {deal.code}"),
        on,
        deal.signed_on,
        ("its signing", "de ondertekening"),
    )


def check_deal_amendment(deal: Deal, rijksbijdrage: Money, granted: Money) -> list[Problem]:
    if not rijksbijdrage.is_positive() or rijksbijdrage.currency != "EUR":
        return [
            problem(
                "invalid_amount",
                f"Convenant {deal.code}: the new Rijksbijdrage must be a positive euro amount; to end the deal, withdraw it.",
                f"Convenant {deal.code}: de nieuwe Rijksbijdrage moet een positief bedrag in euro zijn; trek de deal in om hem te beëindigen.",
            )
        ]
    if rijksbijdrage == deal.rijksbijdrage:
        return [
            problem(
                "no_change",
                f"Convenant {deal.code} already has a Rijksbijdrage of {words.money(rijksbijdrage, 'en')}.",
                f"Convenant {deal.code} heeft al een Rijksbijdrage van {words.money(rijksbijdrage)}.",
            )
        ]
    if rijksbijdrage < granted:
        return [
            problem(
                "below_granted",
                f"Convenant {deal.code}: its beschikkingen take {words.money(granted, 'en')}; the Rijksbijdrage cannot go below that "
                "(lower a beschikking first, with a wijzigingsbeschikking).",
                f"Convenant {deal.code}: de beschikkingen nemen {words.money(granted)}; lager dan dat kan de Rijksbijdrage niet "
                "(verlaag eerst een beschikking, met een wijzigingsbeschikking).",
                granted=granted.amount,
            )
        ]
    return []


def check_deal_withdrawal(deal: Deal, granted: Money) -> list[Problem]:
    if granted.is_positive():
        return [
            problem(
                "deal_has_beschikkingen",
                f"Convenant {deal.code} has beschikkingen of {words.money(granted, 'en')}: a deal with grants cannot be withdrawn.",
                f"Convenant {deal.code} heeft beschikkingen van {words.money(granted)}: een deal met beschikkingen kan niet worden ingetrokken.",
            )
        ]
    return []


def check_deal_extension(deal: Deal, new_end: date) -> list[Problem]:
    if new_end <= deal.ends_on:
        return [
            problem(
                "extension_not_later",
                f"Convenant {deal.code}: the new end {new_end} is not after the current end {deal.ends_on}.",
                f"Convenant {deal.code}: het nieuwe einde {new_end} ligt niet na het huidige einde {deal.ends_on}.",
            )
        ]
    return []
