"""Rules of a deal (convenant): its shape, partners and dates, and its corrections through the
domain (amendment, withdrawal, extension); its pledged co-financing against the tranche's rule."""

from __future__ import annotations

from datetime import date

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
from ledger.said import said
from ledger.words import Amount


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
                said(
                    "Partner {partner} is not a known organisation; add it first.", partner=partner
                ),
                organisation=partner,
            )
        ]
    if organisation.type is OrganisationType.RIJK:
        return [
            problem(
                "rijk_as_cofinancier",
                said(
                    "{organisation} is part of the Rijk: regional co-financing may not come from the Rijk.",
                    organisation=organisation.name,
                ),
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
                said(
                    "Deal {deal}: the Rijksbijdrage must be a positive euro amount.", deal=deal.code
                ),
            )
        )
    if deal.ends_on < deal.signed_on:
        problems.append(
            problem(
                "invalid_period",
                said("Deal {deal} ends before it is signed.", deal=deal.code),
            )
        )
    for pledge in deal.pledges:
        if not pledge.amount.is_positive():
            problems.append(
                problem(
                    "invalid_amount",
                    said(
                        "Deal {deal}: pledge of {partner} must be positive.",
                        deal=deal.code,
                        partner=pledge.partner,
                    ),
                )
            )
    return problems


def check_deal_dates(deal: Deal, envelope: Envelope, budget_since: date | None) -> list[Problem]:
    """A convenant is signed inside its envelope's period, and not before its tranche (or its
    reservation) had budget to commit."""
    what = said("Convenant {deal}", deal=deal.code)
    problems = check_in_envelope(what, deal.signed_on, envelope)
    if budget_since is None:
        where = (
            said("reservation {reservation}", reservation=deal.reservation)
            if deal.reservation
            else said("tranche {tranche}", tranche=deal.tranche)
        )
        problems.append(
            problem(
                "deal_before_budget",
                said(
                    "Convenant {deal}: {where} has no budget yet; allocate it first.",
                    deal=deal.code,
                    where=where,
                ),
            )
        )
    else:
        problems += not_before(
            "deal_before_budget",
            what,
            deal.signed_on,
            budget_since,
            (said("the day its budget arrived")),
        )
    return problems


def check_deal_open(deal: Deal, on: date) -> list[Problem]:
    if deal.withdrawn_on is not None:
        return [
            problem(
                "deal_withdrawn",
                said(
                    "Convenant {deal} was withdrawn on {withdrawn_on}; nothing more is booked on it.",
                    deal=deal.code,
                    withdrawn_on=deal.withdrawn_on,
                ),
            )
        ]
    return not_before(
        "before_signing",
        (said("A change of convenant {deal}", deal=deal.code)),
        on,
        deal.signed_on,
        said("its signing"),
    )


def check_deal_amendment(deal: Deal, rijksbijdrage: Money, granted: Money) -> list[Problem]:
    if not rijksbijdrage.is_positive() or rijksbijdrage.currency != "EUR":
        return [
            problem(
                "invalid_amount",
                said(
                    "Convenant {deal}: the new Rijksbijdrage must be a positive euro amount; to end the deal, withdraw it.",
                    deal=deal.code,
                ),
            )
        ]
    if rijksbijdrage == deal.rijksbijdrage:
        return [
            problem(
                "no_change",
                said(
                    "Convenant {deal} already has a Rijksbijdrage of {rijksbijdrage}.",
                    deal=deal.code,
                    rijksbijdrage=Amount(rijksbijdrage),
                ),
            )
        ]
    if rijksbijdrage < granted:
        return [
            problem(
                "below_granted",
                said(
                    "Convenant {deal}: its beschikkingen take {granted}; the Rijksbijdrage cannot go below that (lower a beschikking first, with a wijzigingsbeschikking).",
                    deal=deal.code,
                    granted=Amount(granted),
                ),
                granted=granted.amount,
            )
        ]
    return []


def check_deal_withdrawal(deal: Deal, granted: Money) -> list[Problem]:
    if granted.is_positive():
        return [
            problem(
                "deal_has_beschikkingen",
                said(
                    "Convenant {deal} has beschikkingen of {granted}: a deal with grants cannot be withdrawn.",
                    deal=deal.code,
                    granted=Amount(granted),
                ),
            )
        ]
    return []


def check_deal_extension(deal: Deal, new_end: date) -> list[Problem]:
    if new_end <= deal.ends_on:
        return [
            problem(
                "extension_not_later",
                said(
                    "Convenant {deal}: the new end {new_end} is not after the current end {ends_on}.",
                    deal=deal.code,
                    new_end=new_end,
                    ends_on=deal.ends_on,
                ),
            )
        ]
    return []
