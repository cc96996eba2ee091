"""The Regio Deals' rules as plain functions that return every problem (``check_*``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledger.errors import Problem
from ledger.money import Money
from ledger.regio.model import (
    REGIOKASSIER_TYPES,
    Beschikking,
    Deal,
    Envelope,
    FundingSource,
    Instrument,
    Organisation,
    OrganisationType,
)
from ledger.rounding import convert
from ledger.text import check_identifier


def problem(code: str, en: str, nl: str, **details: object) -> Problem:
    return Problem(code, en, nl, details=details)


def check_codes(**codes: str | None) -> list[Problem]:
    """Every code of an object follows the one identifier grammar (``ledger.text``): codes end
    up in account codes, URLs, file names and CSV cells."""
    return [p for field, value in codes.items() if value is not None for p in check_identifier(field, value)]


def check_recipient(organisation: Organisation | None, nummer: str) -> list[Problem]:
    if organisation is None:
        return [
            problem(
                "unknown_organisation",
                f"Beschikking {nummer}: the recipient is not a known organisation; add it first.",
                f"Beschikking {nummer}: de ontvanger is geen bekende organisatie; voeg die eerst toe.",
            )
        ]
    if organisation.type is OrganisationType.WATERSCHAP:
        return [
            problem(
                "waterschap_not_regiokassier",
                f"Beschikking {nummer}: {organisation.name} is a waterschap, which may not be regiokassier.",
                f"Beschikking {nummer}: {organisation.name} is een waterschap en mag geen regiokassier zijn.",
                organisation=organisation.code,
            )
        ]
    if organisation.type not in REGIOKASSIER_TYPES:
        return [
            problem(
                "recipient_not_allowed",
                f"Beschikking {nummer}: {organisation.name} ({organisation.type}) cannot receive a beschikking; "
                "a gemeente, provincie, Wgr body or openbaar lichaam BES can.",
                f"Beschikking {nummer}: {organisation.name} ({organisation.type}) kan geen beschikking ontvangen; "
                "een gemeente, provincie, Wgr-lichaam of openbaar lichaam BES wel.",
                organisation=organisation.code,
            )
        ]
    return []


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


def check_envelope(envelope: Envelope) -> list[Problem]:
    problems = check_codes(envelope=envelope.code)
    if not envelope.amount.is_positive() or envelope.amount.currency != "EUR":
        problems.append(problem("invalid_amount", f"Envelope {envelope.code}: the budget must be a positive euro amount.",
                                f"Envelop {envelope.code}: het budget moet een positief bedrag in euro zijn."))  # fmt: skip
    if envelope.ends_on < envelope.starts_on:
        problems.append(problem("invalid_period", f"Envelope {envelope.code} ends ({envelope.ends_on}) before it starts ({envelope.starts_on}).",
                                f"Envelop {envelope.code} eindigt ({envelope.ends_on}) voordat hij begint ({envelope.starts_on})."))  # fmt: skip
    return problems


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


def check_beschikking(beschikking: Beschikking) -> list[Problem]:
    b = beschikking
    problems = check_codes(beschikking=b.nummer, deal=b.deal, recipient=b.recipient)
    if b.spending_ends_on < b.spending_starts_on:
        problems.append(
            problem(
                "invalid_period",
                f"Beschikking {b.nummer}: the spending period ends before it starts.",
                f"Beschikking {b.nummer}: de bestedingsperiode eindigt voor het begin.",
            )
        )
    if not b.amount.is_positive():
        problems.append(
            problem(
                "invalid_amount",
                f"Beschikking {b.nummer}: the amount must be positive.",
                f"Beschikking {b.nummer}: het bedrag moet positief zijn.",
            )
        )
    if b.amount.currency != "EUR" and b.instrument is not Instrument.BU:
        problems.append(
            problem(
                "currency_not_allowed",
                f"Beschikking {b.nummer}: only a BU may be set in {b.amount.currency}.",
                f"Beschikking {b.nummer}: alleen een BU mag in {b.amount.currency} worden vastgesteld.",
            )
        )
    if b.amount.currency != "EUR":
        problems += _check_conversion(b)
    return problems


def _check_conversion(b: Beschikking) -> list[Problem]:
    if b.eur_commitment is None or b.usd_per_eur is None:
        return [
            problem(
                "conversion_missing",
                f"Beschikking {b.nummer} in {b.amount.currency} needs its EUR commitment and the rate.",
                f"Beschikking {b.nummer} in {b.amount.currency} heeft de verplichting in EUR en de koers nodig.",
            )
        ]
    if problems := check_rate(b.usd_per_eur):
        return problems
    if not b.eur_commitment.is_positive():
        return [problem("invalid_amount", f"Beschikking {b.nummer}: the EUR commitment must be positive.",
                        f"Beschikking {b.nummer}: de verplichting in EUR moet positief zijn.")]  # fmt: skip
    expected = convert(b.eur_commitment, b.usd_per_eur, b.amount.currency)
    if expected != b.amount:
        return [
            problem(
                "conversion_mismatch",
                f"Beschikking {b.nummer}: {b.eur_commitment} at {b.usd_per_eur} is {expected}, not {b.amount}.",
                f"Beschikking {b.nummer}: {b.eur_commitment} tegen {b.usd_per_eur} is {expected}, niet {b.amount}.",
            )
        ]
    return []


def check_open(nummer: str, settled: bool, converted: bool) -> list[Problem]:
    if settled:
        return [
            problem(
                "beschikking_settled",
                f"Beschikking {nummer} is settled (vastgesteld); nothing more can be booked on it.",
                f"Beschikking {nummer} is vastgesteld; er kan niets meer op worden geboekt.",
            )
        ]
    if converted:
        return [
            problem(
                "beschikking_converted",
                f"Beschikking {nummer} was converted into a SPUK; book on the new beschikking.",
                f"Beschikking {nummer} is omgezet in een SPUK; boek op de nieuwe beschikking.",
            )
        ]
    return []


def check_spending(
    beschikking: Beschikking,
    spending_ends_on: date,
    on: date,
    year: int,
    source: FundingSource,
    amount: Money,
) -> list[Problem]:
    n = beschikking.nummer
    problems = []
    if beschikking.instrument is Instrument.DU:
        problems.append(
            problem(
                "du_has_no_accountability",
                f"Beschikking {n} is a DU: its money is general funds and its spending is not reported.",
                f"Beschikking {n} is een DU: het geld is algemeen middel en de besteding wordt niet verantwoord.",
            )
        )
    if on.year != year:
        problems.append(
            problem(
                "date_outside_year",
                f"Spending dated {on} does not fall in {year}.",
                f"Besteding op {on} valt niet in {year}.",
            )
        )
    if not beschikking.spending_starts_on <= on <= spending_ends_on:
        problems.append(
            problem(
                "outside_spending_period",
                f"Spending dated {on} is outside the spending period of {n} ({beschikking.spending_starts_on} to {spending_ends_on}).",
                f"Besteding op {on} valt buiten de bestedingsperiode van {n} ({beschikking.spending_starts_on} tot en met {spending_ends_on}).",
            )
        )
    if amount.is_zero():
        problems.append(
            problem(
                "zero_amount",
                "A spending amount may not be zero.",
                "Een bestedingsbedrag mag niet nul zijn.",
            )
        )
    if amount.currency != beschikking.amount.currency:
        problems.append(
            problem(
                "currency_mismatch",
                f"Spending on {n} must be in {beschikking.amount.currency}.",
                f"Besteding op {n} moet in {beschikking.amount.currency} zijn.",
            )
        )
    return problems


def check_settlement(beschikking: Beschikking, ineligible: Money, spent: Money) -> list[Problem]:
    n = beschikking.nummer
    if beschikking.instrument is Instrument.DU:
        return [
            problem(
                "du_has_no_settlement",
                f"Beschikking {n} is a DU: a DU has no vaststelling.",
                f"Beschikking {n} is een DU: een DU wordt niet vastgesteld.",
            )
        ]
    if ineligible.amount < 0 or ineligible > spent:
        return [
            problem(
                "invalid_amount",
                f"Ineligible spending on {n} must be between 0 and the {spent} spent.",
                f"Niet-subsidiabele besteding op {n} moet tussen 0 en de bestede {spent} liggen.",
            )
        ]
    return []


def check_extension(nummer: str, current_end: date, new_end: date) -> list[Problem]:
    if new_end <= current_end:
        return [
            problem(
                "extension_not_later",
                f"Beschikking {nummer}: the new end {new_end} is not after the current end {current_end}.",
                f"Beschikking {nummer}: het nieuwe einde {new_end} ligt niet na het huidige einde {current_end}.",
            )
        ]
    return []


def check_rate(rate: Decimal | None) -> list[Problem]:
    if rate is not None and (not rate.is_finite() or rate <= 0):
        return [
            problem(
                "invalid_rate",
                f"A conversion rate must be positive, not {rate}.",
                f"Een koers moet positief zijn, niet {rate}.",
            )
        ]
    return []


#: A crossed balance limit, said in the finance officer's words, by the account's stage.
LIMIT_MEANINGS = {
    ":unallocated": (
        "envelope_overallocated",
        "the envelope has not that much left to allocate",
        "de envelop heeft niet zoveel meer te verdelen",
    ),
    ":available": (
        "tranche_overcommitted",
        "the tranche or reservation has not that much left",
        "de tranche of reservering heeft niet zoveel meer over",
    ),
    ":ungranted": (
        "deal_overgranted",
        "the beschikkingen would exceed the deal's Rijksbijdrage",
        "de beschikkingen zouden de Rijksbijdrage van de deal overschrijden",
    ),
    ":unpaid": (
        "overpayment",
        "the payment exceeds what is left of the grant",
        "de betaling is hoger dan wat er van de beschikking resteert",
    ),
    ":unspent": (
        "spending_exceeds_grant",
        "Rijk spending would exceed the grant",
        "besteding ten laste van het Rijk zou de beschikking overschrijden",
    ),
    ":recoverable": (
        "repayment_exceeds_debt",
        "the repayment exceeds what is owed",
        "de terugbetaling is hoger dan wat verschuldigd is",
    ),
}


def explain_limit(found: Problem) -> Problem:
    """Turn a ``limit_exceeded`` on a Regio Deals account into the domain's own refusal."""
    if found.code != "limit_exceeded" or not found.account:
        return found
    account = found.account
    if ":spent:" in account:
        code, en, nl = ("negative_spending_total", "the year's total for this source would become negative",
                        "het jaartotaal voor deze bron zou negatief worden")  # fmt: skip
    else:
        meaning = next(
            (m for suffix, m in LIMIT_MEANINGS.items() if account.endswith(suffix)), None
        )
        if meaning is None:
            return found
        code, en, nl = meaning
    reservation = account.startswith("reservation:")
    if reservation and code == "tranche_overcommitted":
        code = "reservation_overcommitted"
    return Problem(code, f"Refused: {en}. {found.message}", f"Geweigerd: {nl}. {found.message_nl}",
                   entry=found.entry, account=account, details=found.details)  # fmt: skip


def check_final(beschikking: Beschikking, year: int, final_year: int | None) -> list[Problem]:
    n = beschikking.nummer
    if beschikking.instrument is Instrument.DU:
        return [problem("du_has_no_accountability", f"Beschikking {n} is a DU: it has no SiSa accountability.",
                        f"Beschikking {n} is een DU: die wordt niet in SiSa verantwoord.")]  # fmt: skip
    if final_year is not None:
        return [problem("already_final", f"Beschikking {n} already had its eindverantwoording in {final_year}.",
                        f"Beschikking {n} heeft al eindverantwoording over {final_year}.")]  # fmt: skip
    if year < beschikking.decided_on.year:
        return [problem("date_outside_year", f"Beschikking {n} was decided after {year}.",
                        f"Beschikking {n} is na {year} genomen.")]  # fmt: skip
    return []


def check_not_final(nummer: str, final_year: int) -> list[Problem]:
    return [problem("year_final", f"Beschikking {nummer} had its eindverantwoording over {final_year}; nothing more is spent on it.",
                    f"Beschikking {nummer} heeft eindverantwoording over {final_year}; er wordt niets meer op besteed.")]  # fmt: skip
