"""A crossed balance limit in the finance officer's words: what the account's owner is called
and what the limit means, in euros and the date, never an account code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ledger import words
from ledger.errors import LedgerError, Problem
from ledger.money import Money
from ledger.regio import chart

#: A crossed balance limit, said in the finance officer's words, by the account's stage.
#: What an account's owner is called, in English and Dutch.
SUBJECTS = {
    "envelope": ("envelope", "envelop"),
    "tranche": ("tranche", "tranche"),
    "reservation": ("reservation", "reservering"),
    "deal": ("deal", "deal"),
    "beschikking": ("beschikking", "beschikking"),
}


LIMIT_MEANINGS = {
    "unallocated": (
        "envelope_overallocated",
        "the envelope has not that much left to allocate",
        "de envelop heeft niet zoveel meer te verdelen",
    ),
    "available": (
        "tranche_overcommitted",
        "the tranche or reservation has not that much left",
        "de tranche of reservering heeft niet zoveel meer over",
    ),
    "ungranted": (
        "deal_overgranted",
        "the beschikkingen would exceed the deal's Rijksbijdrage",
        "de beschikkingen zouden de Rijksbijdrage van de deal overschrijden",
    ),
    "unpaid": (
        "overpayment",
        "the payment exceeds what is left of the grant",
        "de betaling is hoger dan wat er van de beschikking resteert",
    ),
    "unspent": (
        "spending_exceeds_grant",
        "Rijk spending would exceed the grant",
        "besteding ten laste van het Rijk zou de beschikking overschrijden",
    ),
    "recoverable": (
        "repayment_exceeds_debt",
        "the repayment exceeds what is owed",
        "de terugbetaling is hoger dan wat verschuldigd is",
    ),
}


def explain_limit(found: Problem) -> Problem:
    """Turn a ``limit_exceeded`` (or ``limit_exceeded_as_of``) on a Regio Deals account into the
    domain's own refusal, in the words of whoever reads it: what would go wrong, the amounts in
    euros (or dollars), the date for a back-dated booking; no account code, no entry key. The
    details keep the figures (not the codes) for a program."""
    if found.code not in ("limit_exceeded", "limit_exceeded_as_of") or not found.account:
        return found
    account = chart.parse(found.account)
    if account.is_spending:
        code, en, nl = (
            "negative_spending_total",
            "the year's total for this source would become negative",
            "het jaartotaal voor deze bron zou negatief worden",
        )
    else:
        code, en, nl = LIMIT_MEANINGS.get(
            account.stage,
            (found.code, "a balance would go below zero", "een saldo zou onder nul komen"),
        )
    if account.kind == "reservation" and code == "tranche_overcommitted":
        code = "reservation_overcommitted"
    what = SUBJECTS.get(account.kind)
    if what is not None:  # say which one, by the code its users know it by
        en, nl = f"{what[0]} {account.owner}: {en}", f"{what[1]} {account.owner}: {nl}"
    currency = str(found.details.get("currency", "EUR"))
    short = Money.of(found.details.get("shortfall", 0), currency)
    details = {
        k: v
        for k, v in found.details.items()
        if k in ("shortfall", "available", "as_of", "effective_on")
    }
    if account.is_spending:
        details |= {"year": account.year, "source": account.source}
    if found.code == "limit_exceeded_as_of":
        as_of = found.details["as_of"]
        details["limit"] = code
        return Problem(
            "limit_exceeded_as_of",
            f"Refused: {en} as of {words.day(as_of, 'en')}, because of what is booked after this date: "
            f"{words.money(short, 'en')} short on that date. Date it later, or change the later bookings first.",
            f"Geweigerd: {nl} op {words.day(as_of)}, door wat na deze datum is geboekt: {words.money(short)} "
            "tekort op die datum. Kies een latere datum, of pas eerst de latere boekingen aan.",
            details=details,
        )
    available = Money.of(found.details.get("available", 0), currency)
    return Problem(
        code,
        f"Refused: {en}: {words.money(available, 'en')} available, {words.money(short, 'en')} short.",
        f"Geweigerd: {nl}: {words.money(available)} beschikbaar, {words.money(short)} tekort.",
        details=details,
    )


@contextmanager
def said_in_domain_words() -> Iterator[None]:
    """A refusal of the ledger inside, said in the domain's words (``explain_limit``)."""
    try:
        yield
    except LedgerError as error:
        raise LedgerError([explain_limit(p) for p in error.problems]) from error
