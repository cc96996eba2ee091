"""A crossed balance limit in the finance officer's words: what the account's owner is called
and what the limit means, in euros and the date, never an account code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ledger.errors import LedgerError, Problem
from ledger.money import Money
from ledger.regio import chart
from ledger.said import Said, said
from ledger.words import Amount, Day

#: A crossed balance limit, said in the finance officer's words, by the account's stage.
#: What an account's owner is called.
SUBJECTS = {
    "envelope": said("envelope"),
    "tranche": said("tranche"),
    "reservation": said("reservation"),
    "deal": said("deal"),
    "beschikking": said("beschikking"),
}


LIMIT_MEANINGS = {
    "unallocated": (
        "envelope_overallocated",
        said("the envelope has not that much left to allocate"),
    ),
    "available": (
        "tranche_overcommitted",
        said("the tranche or reservation has not that much left"),
    ),
    "ungranted": (
        "deal_overgranted",
        said("the beschikkingen would exceed the deal's Rijksbijdrage"),
    ),
    "unpaid": (
        "overpayment",
        said("the payment exceeds what is left of the grant"),
    ),
    "unspent": (
        "spending_exceeds_grant",
        said("Rijk spending would exceed the grant"),
    ),
    "recoverable": (
        "repayment_exceeds_debt",
        said("the repayment exceeds what is owed"),
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
    code, meaning = _limit_meaning(account, found.code)
    if account.kind == "reservation" and code == "tranche_overcommitted":
        code = "reservation_overcommitted"
    what = SUBJECTS.get(account.kind)
    if what is not None:  # say which one, by the code its users know it by
        meaning = said("{what} {owner}: {meaning}", what=what, owner=account.owner, meaning=meaning)
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
        return Problem.of(
            "limit_exceeded_as_of",
            said(
                "Refused: {meaning} as of {as_of}, because of what is booked after this date: "
                "{short} short on that date. Date it later, or change the later bookings first.",
                meaning=meaning,
                as_of=Day(as_of),
                short=Amount(short),
            ),
            details=details,
        )
    available = Money.of(found.details.get("available", 0), currency)
    return Problem.of(
        code,
        said(
            "Refused: {meaning}: {available} available, {short} short.",
            meaning=meaning,
            available=Amount(available),
            short=Amount(short),
        ),
        details=details,
    )


def _limit_meaning(account: chart.ParsedCode, found: str) -> tuple[str, Said]:
    """The refusal's code and what the crossed limit means, by the account's kind and stage."""
    if account.is_spending:
        return (
            "negative_spending_total",
            said("the year's total for this source would become negative"),
        )
    if account.kind == "begroting":  # begroting:ARTICLE:YEAR:STELSEL
        year, _, stelsel = account.stage.partition(":")
        return (
            "budget_exceeded",
            said(
                "the budget of article {article} for {stelsel} in {year} has not that much left",
                article=account.owner,
                stelsel=stelsel,
                year=year,
            ),
        )
    return LIMIT_MEANINGS.get(account.stage, (found, said("a balance would go below zero")))


@contextmanager
def said_in_domain_words() -> Iterator[None]:
    """A refusal of the ledger inside, said in the domain's words (``explain_limit``)."""
    try:
        yield
    except LedgerError as error:
        raise LedgerError([explain_limit(p) for p in error.problems]) from error
