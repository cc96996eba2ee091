"""Rules of a beschikking: its recipient and shape (a DU, a SPUK, a BU; a SPUK converted from a
DU), its dates (grant, payment, extension, repayment), whether it is still open, and its
corrections (wijzigingsbeschikking, payment correction, the order of amendments). A DU's
conversion into a SPUK has its own module (``conversion``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ledger.errors import LedgerError, Problem, raise_if_any
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
    Who,
)
from ledger.regio.rules.budget import check_in_envelope, check_rate
from ledger.regio.rules.common import check_codes, not_after, not_before, problem
from ledger.regio.rules.tables import INSTRUMENT_RULES
from ledger.rounding import convert
from ledger.said import said
from ledger.words import Amount


def check_recipient(
    organisation: Organisation | None, nummer: str, instrument: Instrument = Instrument.SPUK
) -> list[Problem]:
    if organisation is None:
        return [
            problem(
                "unknown_organisation",
                said(
                    "Beschikking {nummer}: the recipient is not a known organisation; add it first.",
                    nummer=nummer,
                ),
            )
        ]
    if organisation.type is OrganisationType.WATERSCHAP:
        return [
            problem(
                "waterschap_not_regiokassier",
                said(
                    "Beschikking {nummer}: {organisation} is a waterschap, which may not be regiokassier.",
                    nummer=nummer,
                    organisation=organisation.name,
                ),
                organisation=organisation.code,
            )
        ]
    rule = INSTRUMENT_RULES[instrument]
    if organisation.type not in rule.recipients:
        allowed = ", ".join(sorted(t.value for t in rule.recipients))
        return [
            problem(
                "recipient_not_allowed",
                said(
                    "Beschikking {nummer}: {organisation} ({type}) cannot receive a {rule} ({instrument}); it goes to: {allowed}.",
                    nummer=nummer,
                    organisation=organisation.name,
                    type=organisation.type,
                    rule=rule.name,
                    instrument=instrument,
                    allowed=allowed,
                ),
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
                said(
                    "Beschikking {nummer}: the spending period ends before it starts.",
                    nummer=b.nummer,
                ),
            )
        )
    if not b.amount.is_positive():
        problems.append(
            problem(
                "invalid_amount",
                said("Beschikking {nummer}: the amount must be positive.", nummer=b.nummer),
            )
        )
    rule = INSTRUMENT_RULES[b.instrument]
    if b.amount.currency != rule.currency:
        problems.append(
            problem(
                "currency_not_allowed",
                said(
                    "Beschikking {nummer}: a {rule} ({instrument}) is set in {currency}, not {currency2}.",
                    nummer=b.nummer,
                    rule=rule.name,
                    instrument=b.instrument,
                    currency=rule.currency,
                    currency2=b.amount.currency,
                ),
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
                said(
                    "Beschikking {nummer} in {currency} needs its EUR commitment and the rate.",
                    nummer=b.nummer,
                    currency=b.amount.currency,
                ),
            )
        ]
    if problems := check_rate(b.usd_per_eur):
        return problems
    if not b.eur_commitment.is_positive():
        return [
            problem(
                "invalid_amount",
                said("Beschikking {nummer}: the EUR commitment must be positive.", nummer=b.nummer),
            )
        ]
    expected = convert(b.eur_commitment, b.usd_per_eur, b.amount.currency)
    if expected != b.amount:
        return [
            problem(
                "conversion_mismatch",
                said(
                    "Beschikking {nummer}: {eur_commitment} at {usd_per_eur} is {expected}, not {amount}.",
                    nummer=b.nummer,
                    eur_commitment=Amount(b.eur_commitment),
                    usd_per_eur=b.usd_per_eur,
                    expected=Amount(expected),
                    amount=Amount(b.amount),
                ),
            )
        ]
    return []


def check_open(nummer: str, settled: bool, converted: bool) -> list[Problem]:
    if settled:
        return [
            problem(
                "beschikking_settled",
                said(
                    "Beschikking {nummer} is settled (vastgesteld); nothing more can be booked on it.",
                    nummer=nummer,
                ),
            )
        ]
    if converted:
        return [
            problem(
                "beschikking_converted",
                said(
                    "Beschikking {nummer} was converted into a SPUK; book on the new beschikking.",
                    nummer=nummer,
                ),
            )
        ]
    return []


def check_extension(nummer: str, current_end: date, new_end: date) -> list[Problem]:
    if new_end <= current_end:
        return [
            problem(
                "extension_not_later",
                said(
                    "Beschikking {nummer}: the new end {new_end} is not after the current end {current_end}.",
                    nummer=nummer,
                    new_end=new_end,
                    current_end=current_end,
                ),
            )
        ]
    return []


def check_grant_dates(beschikking: Beschikking, deal: Deal, envelope: Envelope) -> list[Problem]:
    """A beschikking is decided on or after its deal's signing, inside the envelope's period, and
    its spending period ends by the deal's end (its looptijd)."""
    b = beschikking
    what = said("Beschikking {nummer}", nummer=b.nummer)
    problems = not_before(
        "decided_before_signing",
        what,
        b.decided_on,
        deal.signed_on,
        (said("the signing of deal {deal}", deal=deal.code)),
    )
    problems += check_in_envelope(what, b.decided_on, envelope)
    problems += not_after(
        "spending_past_deal_end",
        (said("The spending period of {nummer}", nummer=b.nummer)),
        b.spending_ends_on,
        deal.ends_on,
        (said("the end of deal {deal}", deal=deal.code)),
    )
    return problems


def check_payment_date(beschikking: Beschikking, on: date) -> list[Problem]:
    return not_before(
        "payment_before_decision",
        (said("A payment on {beschikking}", beschikking=beschikking.nummer)),
        on,
        beschikking.decided_on,
        (said("the beschikking was decided")),
    )


def check_eur_paid(
    beschikking: Beschikking, amount: Money, eur_paid: Money, who: Who
) -> list[Problem]:
    """The euros a foreign-currency payment really cost: only for a grant not in euros, above
    zero, in euros, and with the source of its rate."""
    what = said("The euros paid for {beschikking}", beschikking=beschikking.nummer)
    if beschikking.amount.currency == "EUR":
        return [
            Problem.of(
                "eur_paid_for_eur_grant",
                said(
                    "{what}: the grant is in euros already; leave the euro amount out.", what=what
                ),
            )
        ]
    if eur_paid.currency != "EUR" or not eur_paid.is_positive() or not amount.is_positive():
        return [
            Problem.of("eur_paid_invalid", said("{what} must be above zero, in EUR.", what=what))
        ]
    if not who.source_document:
        return [
            Problem.of(
                "eur_paid_without_source",
                said(
                    "{what}: name the source of the rate of the payment's date (the bank's "
                    "statement or the exchange rate published that day).",
                    what=what,
                ),
            )
        ]
    return []


def check_extension_dates(
    beschikking: Beschikking, on: date, new_end: date, deal_ends_on: date
) -> list[Problem]:
    what = said("The extension of {beschikking}", beschikking=beschikking.nummer)
    problems = not_before(
        "extension_before_decision",
        what,
        on,
        beschikking.decided_on,
        (said("the beschikking was decided")),
    )
    problems += not_after(
        "extension_past_deal_end",
        (said("The new end of {beschikking}", beschikking=beschikking.nummer)),
        new_end,
        deal_ends_on,
        (said("the end of its deal; extend the deal's looptijd first"),),
    )
    return problems


def check_repayment_date(
    beschikking: Beschikking, on: date, settled_on: date | None
) -> list[Problem]:
    if settled_on is None:
        return [
            problem(
                "not_settled",
                said(
                    "Beschikking {beschikking} is not settled: there is nothing to repay yet.",
                    beschikking=beschikking.nummer,
                ),
            )
        ]
    return not_before(
        "repayment_before_settlement",
        (said("A repayment on {beschikking}", beschikking=beschikking.nummer)),
        on,
        settled_on,
        said("the vaststelling"),
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
    raise_if_any(
        not_before(
            "before_decision",
            said("The wijzigingsbeschikking of {nummer}", nummer=b.nummer),
            on,
            b.decided_on,
            said("the beschikking was decided"),
        )
        + _check_new_amount(b, granted, amount)
    )
    if amount.currency == "EUR":
        return amount - granted, amount - granted
    return amount - granted, _euros_of_new_amount(b, amount, eur_amount) - granted_eur


def _check_new_amount(b: Beschikking, granted: Money, amount: Money) -> list[Problem]:
    if amount.currency != b.amount.currency or not amount.is_positive():
        return [
            problem(
                "invalid_amount",
                said(
                    "Beschikking {nummer}: the new amount must be positive, in {currency}.",
                    nummer=b.nummer,
                    currency=b.amount.currency,
                ),
            )
        ]
    if amount == granted:
        return [
            problem(
                "no_change",
                said(
                    "Beschikking {nummer} already grants {granted}.",
                    nummer=b.nummer,
                    granted=Amount(granted),
                ),
            )
        ]
    return []


def _euros_of_new_amount(b: Beschikking, amount: Money, eur_amount: Money | None) -> Money:
    """A BU's new amount in dollars states the euros it commits, at the grant's rate."""
    if eur_amount is None or b.usd_per_eur is None:
        raise LedgerError.single(
            "conversion_missing",
            said(
                "A wijzigingsbeschikking of {nummer} in {currency} states the euros it commits too.",
                nummer=b.nummer,
                currency=amount.currency,
            ),
        )
    if convert(eur_amount, b.usd_per_eur, amount.currency) != amount:
        raise LedgerError.single(
            "conversion_mismatch",
            said(
                "{eur_amount} at {usd_per_eur} is not {amount}.",
                eur_amount=Amount(eur_amount),
                usd_per_eur=b.usd_per_eur,
                amount=Amount(amount),
            ),
        )
    return eur_amount


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
                said(
                    "Beschikking {n}: {paid} was paid; a grant in {currency} cannot go below that (reclaim after the vaststelling instead).",
                    n=n,
                    paid=Amount(paid),
                    currency=amount.currency,
                ),
                paid=paid.amount,
            )
        )
    if amount < spent_rijk:
        problems.append(
            problem(
                "below_spent",
                said(
                    "Beschikking {n}: {spent_rijk} was spent from Rijk money; the grant cannot go below that.",
                    n=n,
                    spent_rijk=Amount(spent_rijk),
                ),
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
                said("Entry {entry} is not a payment on beschikking {n}.", entry=entry, n=n),
            )
        ]
    if corrected:
        return [
            problem(
                "already_corrected",
                said(
                    "The payment of entry {entry} on {n} was corrected already.", entry=entry, n=n
                ),
            )
        ]
    return not_before(
        "correction_before_payment",
        (said("The correction of payment {entry}", entry=entry)),
        on,
        payment_on,
        said("the payment"),
    )


def check_not_extended_after_final(nummer: str, final_years: Iterable[int]) -> list[Problem]:
    """After eindverantwoording the spending period is closed: no verlenging."""
    if not (years := sorted(final_years)):
        return []
    return [
        problem(
            "already_final",
            said(
                "Beschikking {nummer} had its eindverantwoording over {years}: its spending period can no longer be extended.",
                nummer=nummer,
                years=years[-1],
            ),
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
            said(
                "This amendment is dated {on}, before amendment {key} of {later}, which is recorded already: date it on or after {later}, or correct that one first.",
                on=on,
                key=key,
                later=later,
            ),
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
