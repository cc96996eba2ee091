"""Rules of a beschikking: its recipient and shape (a DU, a SPUK, a BU; a SPUK converted from a
DU), its dates (grant, payment, extension, repayment), whether it is still open, and its
corrections (wijzigingsbeschikking, payment correction, the order of amendments)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ledger import words
from ledger.errors import LedgerError, Problem
from ledger.money import Money
from ledger.regio.model import (
    Beschikking,
    BeschikkingStatus,
    Deal,
    Envelope,
    EventKind,
    Instrument,
    Organisation,
    OrganisationType,
)
from ledger.regio.rules.budget import check_in_envelope, check_rate
from ledger.regio.rules.common import check_codes, not_after, not_before, problem
from ledger.regio.rules.tables import INSTRUMENT_RULES
from ledger.rounding import convert


def check_recipient(
    organisation: Organisation | None, nummer: str, instrument: Instrument = Instrument.SPUK
) -> list[Problem]:
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
    rule = INSTRUMENT_RULES[instrument]
    if organisation.type not in rule.recipients:
        allowed = ", ".join(sorted(t.value for t in rule.recipients))
        return [
            problem(
                "recipient_not_allowed",
                f"Beschikking {nummer}: {organisation.name} ({organisation.type}) cannot receive a {rule.name} "
                f"({instrument}); it goes to: {allowed}.",
                f"Beschikking {nummer}: {organisation.name} ({organisation.type}) kan geen {rule.name} "
                f"({instrument}) ontvangen; die gaat naar: {allowed}.",
                organisation=organisation.code,
            )
        ]
    return []


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
    rule = INSTRUMENT_RULES[b.instrument]
    if b.amount.currency != rule.currency:
        problems.append(
            problem(
                "currency_not_allowed",
                f"Beschikking {b.nummer}: a {rule.name} ({b.instrument}) is set in {rule.currency}, not {b.amount.currency}.",
                f"Beschikking {b.nummer}: een {rule.name} ({b.instrument}) wordt in {rule.currency} vastgesteld, "
                f"niet in {b.amount.currency}.",
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
        return [
            problem(
                "invalid_amount",
                f"Beschikking {b.nummer}: the EUR commitment must be positive.",
                f"Beschikking {b.nummer}: de verplichting in EUR moet positief zijn.",
            )
        ]
    expected = convert(b.eur_commitment, b.usd_per_eur, b.amount.currency)
    if expected != b.amount:
        return [
            problem(
                "conversion_mismatch",
                f"Beschikking {b.nummer}: {words.money(b.eur_commitment, 'en')} at {b.usd_per_eur} is {words.money(expected, 'en')}, not {words.money(b.amount, 'en')}.",
                f"Beschikking {b.nummer}: {words.money(b.eur_commitment)} tegen {b.usd_per_eur} is {words.money(expected)}, niet {words.money(b.amount)}.",
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


def check_grant_dates(beschikking: Beschikking, deal: Deal, envelope: Envelope) -> list[Problem]:
    """A beschikking is decided on or after its deal's signing, inside the envelope's period, and
    its spending period ends by the deal's end (its looptijd)."""
    b = beschikking
    what = (f"Beschikking {b.nummer}", f"Beschikking {b.nummer}")
    problems = not_before(
        "decided_before_signing",
        what,
        b.decided_on,
        deal.signed_on,
        (f"the signing of deal {deal.code}", f"de ondertekening van deal {deal.code}"),
    )
    problems += check_in_envelope(what, b.decided_on, envelope)
    problems += not_after(
        "spending_past_deal_end",
        (f"The spending period of {b.nummer}", f"De bestedingsperiode van {b.nummer}"),
        b.spending_ends_on,
        deal.ends_on,
        (f"the end of deal {deal.code}", f"het einde van deal {deal.code}"),
    )
    return problems


def check_payment_date(beschikking: Beschikking, on: date) -> list[Problem]:
    return not_before(
        "payment_before_decision",
        (f"A payment on {beschikking.nummer}", f"Een betaling op {beschikking.nummer}"),
        on,
        beschikking.decided_on,
        ("the beschikking was decided", "het nemen van de beschikking"),
    )


def check_extension_dates(
    beschikking: Beschikking, on: date, new_end: date, deal_ends_on: date
) -> list[Problem]:
    what = (f"The extension of {beschikking.nummer}", f"De verlenging van {beschikking.nummer}")
    problems = not_before(
        "extension_before_decision",
        what,
        on,
        beschikking.decided_on,
        ("the beschikking was decided", "het nemen van de beschikking"),
    )
    problems += not_after(
        "extension_past_deal_end",
        (f"The new end of {beschikking.nummer}", f"Het nieuwe einde van {beschikking.nummer}"),
        new_end,
        deal_ends_on,
        (
            "the end of its deal; extend the deal's looptijd first",
            "het einde van de deal; verleng eerst de looptijd van de deal",
        ),
    )
    return problems


def check_repayment_date(
    beschikking: Beschikking, on: date, settled_on: date | None
) -> list[Problem]:
    if settled_on is None:
        return [
            problem(
                "not_settled",
                f"Beschikking {beschikking.nummer} is not settled: there is nothing to repay yet.",
                f"Beschikking {beschikking.nummer} is niet vastgesteld: er valt nog niets terug te betalen.",
            )
        ]
    return not_before(
        "repayment_before_settlement",
        (f"A repayment on {beschikking.nummer}", f"Een terugbetaling op {beschikking.nummer}"),
        on,
        settled_on,
        ("the vaststelling", "de vaststelling"),
    )


def grant_change(
    beschikking: Beschikking,
    granted: Money,
    granted_eur: Money,
    amount: Money,
    eur_amount: Money | None,
    on: date,
) -> tuple[Money, Money]:
    """What a wijzigingsbeschikking to ``amount`` changes, in the grant's currency and in euros;
    refused when it changes nothing, is dated before the decision, or is not a proper amount."""
    b = beschikking
    problems = not_before(
        "before_decision",
        (f"The wijzigingsbeschikking of {b.nummer}", f"De wijzigingsbeschikking van {b.nummer}"),
        on,
        b.decided_on,
        ("the beschikking was decided", "het nemen van de beschikking"),
    )
    if amount.currency != b.amount.currency or not amount.is_positive():
        problems.append(
            problem(
                "invalid_amount",
                f"Beschikking {b.nummer}: the new amount must be positive, in {b.amount.currency}.",
                f"Beschikking {b.nummer}: het nieuwe bedrag moet positief zijn, in {b.amount.currency}.",
            )
        )
    elif amount == granted:
        problems.append(
            problem(
                "no_change",
                f"Beschikking {b.nummer} already grants {words.money(granted, 'en')}.",
                f"Beschikking {b.nummer} kent al {words.money(granted)} toe.",
            )
        )
    if problems:
        raise LedgerError(problems)
    if amount.currency == "EUR":
        return amount - granted, amount - granted
    if eur_amount is None or b.usd_per_eur is None:
        raise LedgerError(
            [
                problem(
                    "conversion_missing",
                    f"A wijzigingsbeschikking of {b.nummer} in {amount.currency} states the euros it commits too.",
                    f"Een wijzigingsbeschikking van {b.nummer} in {amount.currency} noemt ook de euro's die ze vastlegt.",
                )
            ]
        )
    if convert(eur_amount, b.usd_per_eur, amount.currency) != amount:
        raise LedgerError(
            [
                problem(
                    "conversion_mismatch",
                    f"{words.money(eur_amount, 'en')} at {b.usd_per_eur} is not {words.money(amount, 'en')}.",
                    f"{words.money(eur_amount)} tegen {b.usd_per_eur} is niet {words.money(amount)}.",
                )
            ]
        )
    return amount - granted, eur_amount - granted_eur


def check_grant_floor(
    beschikking: Beschikking, amount: Money, paid: Money, spent_rijk: Money
) -> list[Problem]:
    """A wijzigingsbeschikking never grants less than was spent from Rijk money; below what was
    paid only in euros (the excess becomes a terugvordering, as at vaststelling: a BU's dollars
    would need the rate of the reclaim, which the ledger does not have yet)."""
    n, problems = beschikking.nummer, []
    if amount < paid and amount.currency != "EUR":
        problems.append(
            problem(
                "below_paid",
                f"Beschikking {n}: {words.money(paid, 'en')} was paid; a grant in "
                f"{amount.currency} cannot go below that (reclaim after the vaststelling instead).",
                f"Beschikking {n}: er is {words.money(paid)} betaald; een beschikking in "
                f"{amount.currency} kan niet lager (vorder na de vaststelling terug).",
                paid=paid.amount,
            )
        )
    if amount < spent_rijk:
        problems.append(
            problem(
                "below_spent",
                f"Beschikking {n}: {words.money(spent_rijk, 'en')} was spent from Rijk money; "
                "the grant cannot go below that.",
                f"Beschikking {n}: er is {words.money(spent_rijk)} ten laste van het Rijk besteed; de "
                "beschikking kan niet lager.",
                spent=spent_rijk.amount,
            )
        )
    return problems


def check_payment_correction(
    beschikking: Beschikking, entry: int, payment_on: date | None, corrected: bool, on: date
) -> list[Problem]:
    n = beschikking.nummer
    if payment_on is None:
        return [
            problem(
                "payment_not_found",
                f"Entry {entry} is not a payment on beschikking {n}.",
                f"Boeking {entry} is geen betaling op beschikking {n}.",
            )
        ]
    if corrected:
        return [
            problem(
                "already_corrected",
                f"The payment of entry {entry} on {n} was corrected already.",
                f"De betaling van boeking {entry} op {n} is al gecorrigeerd.",
            )
        ]
    return not_before(
        "correction_before_payment",
        (f"The correction of payment {entry}", f"De correctie van betaling {entry}"),
        on,
        payment_on,
        ("the payment", "de betaling"),
    )


def check_something_to_convert(du_nummer: str, remaining: Money) -> list[Problem]:
    """A DU→SPUK conversion takes over the DU's unpaid remainder: a DU paid in full has none."""
    if remaining.is_positive():
        return []
    return [
        problem(
            "nothing_to_convert",
            f"DU {du_nummer} is paid in full: nothing is left to convert into a SPUK.",
            f"DU {du_nummer} is volledig betaald: er is niets meer om te zetten in een SPUK.",
        )
    ]


def check_du_conversion(du: Beschikking, spuk: Beschikking, remaining: Money) -> list[Problem]:
    """A DU's unpaid remainder is granted again as a SPUK: only a DU converts, only into a SPUK,
    of the same deal, linked to the DU, for exactly what the DU has left unpaid."""
    if du.instrument is not Instrument.DU or spuk.instrument is not Instrument.SPUK:
        return [
            problem(
                "not_a_du_conversion",
                "Only a DU can be converted, and only into a SPUK.",
                "Alleen een DU kan worden omgezet, en alleen in een SPUK.",
            )
        ]
    if problems := check_something_to_convert(du.nummer, remaining):
        return problems
    if spuk.amount != remaining or spuk.deal != du.deal or spuk.converted_from != du.nummer:
        return [
            problem(
                "conversion_mismatch",
                f"The SPUK must take over the DU's unpaid {words.money(remaining, 'en')} in the same deal, converted_from {du.nummer}.",
                f"De SPUK moet het onbetaalde deel {words.money(remaining)} van de DU overnemen, in dezelfde deal.",
            )
        ]
    return []


def check_converted_once(du_nummer: str, converted_into: str, spuk_nummer: str) -> list[Problem]:
    """A DU converts once: asked again for the same SPUK it is a retry, for another a refusal."""
    if converted_into == spuk_nummer:
        return []
    return [
        problem(
            "beschikking_converted",
            f"DU {du_nummer} was already converted into {converted_into}.",
            f"DU {du_nummer} is al omgezet in {converted_into}.",
        )
    ]


def check_not_extended_after_final(nummer: str, final_years: Iterable[int]) -> list[Problem]:
    """After eindverantwoording the spending period is closed: no verlenging."""
    if not (years := sorted(final_years)):
        return []
    return [
        problem(
            "already_final",
            f"Beschikking {nummer} had its eindverantwoording over {years[-1]}: its spending "
            "period can no longer be extended.",
            f"Beschikking {nummer} heeft eindverantwoording over {years[-1]}: de "
            "bestedingsperiode kan niet meer worden verlengd.",
        )
    ]


def check_amendment_order(on: date, latest: tuple[str, date] | None) -> list[Problem]:
    """Amendments of one deal or beschikking in the order of their dates: one dated before an
    earlier-recorded one would make the as-of views show a figure no document ever had."""
    if latest is None or on >= latest[1]:
        return []
    key, later = latest
    return [
        problem(
            "amendment_out_of_order",
            f"This amendment is dated {on}, before amendment {key} of {later}, which is recorded "
            f"already: date it on or after {later}, or correct that one first.",
            f"Deze wijziging is gedateerd op {on}, vóór wijziging {key} van {later}, die al is "
            f"vastgelegd: dateer haar op of na {later}, of corrigeer die eerst.",
            later=key,
            later_on=later.isoformat(),
        )
    ]


def beschikking_status(closed_by: Iterable[str], converted: bool) -> BeschikkingStatus:
    """What a beschikking's closing events (``final``, ``settlement``) and a conversion make of
    it: a conversion or a vaststelling outranks an eindverantwoording."""
    kinds = set(closed_by)
    if converted:
        return BeschikkingStatus.CONVERTED
    if EventKind.SETTLEMENT in kinds:
        return BeschikkingStatus.SETTLED
    if EventKind.FINAL in kinds:
        return BeschikkingStatus.FINAL
    return BeschikkingStatus.OPEN
