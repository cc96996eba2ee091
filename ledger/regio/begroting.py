"""The Rijksbegroting's view of the Regio Deals. Pure: objects in, entries and figures out.

The Comptabiliteitswet 2016 runs the budget on commitments and cash (the *geïntegreerd
verplichtingen-kasstelsel*): each budget article has, per budget year, commitments
(*verplichtingen*), cash paid (*uitgaven*) and cash received back (*ontvangsten*), each
budgeted and realised.

- The **budget** is booked: each mutation (the budget as enacted, an *overboeking* from one
  article to another with its cash series over years, a *kasschuif* between years, a *loon- en
  prijsbijstelling*) is one balanced entry on the accounts ``begroting:ARTICLE:YEAR:STELSEL``
  (credit-normal, never below zero), against ``begroting:ARTICLE:source`` (the budget law and
  its amendments). A mutation booked wrong is reversed by a mirror entry.
- The **realisation** is never entered: it follows from the beschikkingen's own accounts
  (``realise``). A beschikking commits in the year of its decision (and a raise, release or
  lapse in the year of its date); a payment is cash out in the year of its date; a repayment
  is cash in. A departementale overboeking (DO) leaves the article for another ministry's
  budget in the same way, and is counted with the DU. A foreign-currency payment counts in euros at its grant's rate, plus the
  exchange difference booked when what it really cost is known (in commitments and cash
  alike, so that the commitment follows what the euros cost). A decentralisatie-uitkering is no realisation on the article: its money leaves
  the article for the Gemeentefonds or Provinciefonds (a departementale overboeking), so it is
  counted apart, in the same years, as *to the funds*.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ledger.accounts import Account, AccountKind, Dimensions, Side
from ledger.entries import JournalEntry, Posting
from ledger.errors import Problem
from ledger.money import Money
from ledger.posted import PostedEntry
from ledger.regio.chart import FX_DIFFERENCE
from ledger.regio.model import Who
from ledger.regio.rules.common import check_codes
from ledger.rounding import convert
from ledger.said import said

FIRST_YEAR, LAST_YEAR = 2000, 2100


class Stelsel(StrEnum):
    """The three sides of the verplichtingen-kasstelsel."""

    COMMITMENTS = "verplichtingen"
    CASH = "uitgaven"
    RECEIPTS = "ontvangsten"


class MutationKind(StrEnum):
    INITIAL = "initial"  # the budget as enacted (begrotingswet), per year
    OVERBOEKING = "overboeking"  # from another article (the Aanvullende Post), with its series
    KASSCHUIF = "kasschuif"  # between years of one article; each side nets to zero
    LOON_PRIJS = "loon_prijs"  # loon- en prijsbijstelling added to the article
    REVERSAL = "reversal"  # a mutation booked wrong, reversed in full


@dataclass(frozen=True)
class Article:
    """A budget article: ``chapter`` is the begrotingshoofdstuk (``VII`` for BZK), ``number`` the
    article and ``sub_article`` its part; ``tranches`` are the tranches whose beschikkingen it
    pays (none for the Aanvullende Post, which only passes money on)."""

    code: str
    ministry: str
    chapter: str
    number: str
    name: str
    sub_article: str | None = None
    tranches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    """One cell of a budget mutation: an amount for a year and a side of the stelsel."""

    year: int
    stelsel: Stelsel
    amount: Money


@dataclass(frozen=True)
class Mutation:
    kind: MutationKind
    article: str
    name: str
    on: date
    lines: tuple[Line, ...]
    from_article: str | None = None  # an overboeking's origin


def budget_account(article: str, year: int, stelsel: Stelsel) -> str:
    return f"begroting:{article}:{year}:{stelsel.value}"


def source_account(article: str) -> str:
    return f"begroting:{article}:source"


BUDGET_LIKE = "begroting:%"


def parse_budget_account(code: str) -> tuple[str, int, Stelsel] | None:
    """``begroting:A:2024:uitgaven`` as (A, 2024, CASH); the source account is None."""
    parts = code.split(":")
    if len(parts) != 4 or parts[0] != "begroting":
        return None
    return parts[1], int(parts[2]), Stelsel(parts[3])


def accounts_of(mutation: Mutation) -> list[Account]:
    articles = [mutation.article] + ([mutation.from_article] if mutation.from_article else [])
    accounts = [
        Account(
            source_account(a),
            f"Article {a}: the budget law and its amendments",
            AccountKind.BUDGET_SOURCE,
        )
        for a in articles
    ]
    for a in articles:
        for line in mutation.lines:
            accounts.append(
                Account(
                    budget_account(a, line.year, line.stelsel),
                    f"Article {a}: {line.stelsel.value} {line.year}",
                    AccountKind.BUDGET,
                    dimensions=Dimensions(year=line.year),
                    non_negative=True,
                )
            )
    return accounts


def check_mutation(mutation: Mutation) -> list[Problem]:
    """What makes a budget mutation meaningless, before anything is read or booked."""
    problems = check_codes(article=mutation.article, from_article=mutation.from_article)
    where = said("The budget mutation {name}", name=mutation.name)
    if not mutation.lines:
        problems.append(
            Problem.of("no_budget_lines", said("{what} names no year and amount.", what=where))
        )
    cells = [(line.year, line.stelsel) for line in mutation.lines]
    if len(set(cells)) != len(cells):
        problems.append(
            Problem.of(
                "budget_line_twice",
                said("{what} names a year and side twice; add them up first.", what=where),
            )
        )
    for line in mutation.lines:
        if not FIRST_YEAR <= line.year <= LAST_YEAR or line.amount.currency != "EUR":
            problems.append(
                Problem.of(
                    "budget_line_invalid",
                    said(
                        "{what}: {year} {stelsel} must be a budget year from 2000 to 2100 in EUR.",
                        what=where,
                        year=line.year,
                        stelsel=line.stelsel.value,
                    ),
                )
            )
    problems += _check_kind(mutation, where)
    return problems


def _check_kind(mutation: Mutation, where: object) -> list[Problem]:
    kind, lines = mutation.kind, mutation.lines
    if kind is MutationKind.OVERBOEKING and mutation.from_article in (None, mutation.article):
        return [
            Problem.of(
                "overboeking_without_origin",
                said("{what}: an overboeking names the article it comes from.", what=where),
            )
        ]
    if kind is MutationKind.KASSCHUIF:
        totals: dict[Stelsel, int] = defaultdict(int)
        for line in lines:
            totals[line.stelsel] += line.amount.minor_units
        if any(totals.values()) or len({line.year for line in lines}) < 2:
            return [
                Problem.of(
                    "kasschuif_not_neutral",
                    said(
                        "{what}: a kasschuif moves budget between two or more years of one "
                        "article, and each side (verplichtingen, uitgaven, ontvangsten) adds up "
                        "to zero.",
                        what=where,
                    ),
                )
            ]
        return []
    if any(not ln.amount.is_positive() for ln in lines):
        return [
            Problem.of(
                "budget_amount_not_positive",
                said("{what}: every amount must be more than zero.", what=where),
            )
        ]
    return []


def book_mutation(key: str, who: Who, mutation: Mutation) -> JournalEntry:
    """The one balanced entry of a budget mutation (a reversal is ``reversal_of`` instead)."""
    postings: list[Posting] = []
    for line in mutation.lines:
        to = budget_account(mutation.article, line.year, line.stelsel)
        if mutation.kind is MutationKind.OVERBOEKING:
            assert mutation.from_article is not None
            origin = budget_account(mutation.from_article, line.year, line.stelsel)
        elif mutation.kind is MutationKind.KASSCHUIF:
            origin = None
        else:
            origin = source_account(mutation.article)
        amount = line.amount
        if origin is not None:
            postings.append(Posting(origin, Side.DEBIT, abs_money(amount)))
        side = Side.CREDIT if amount.is_positive() else Side.DEBIT
        postings.append(Posting(to, side, abs_money(amount)))
    return JournalEntry(
        key=key,
        effective_on=mutation.on,
        memo=f"{mutation.name} ({mutation.kind.value}, article {mutation.article})",
        actor=who.actor,
        reason=who.reason,
        source_document=who.source_document,
        postings=tuple(postings),
    )


def abs_money(amount: Money) -> Money:
    return -amount if amount.minor_units < 0 else amount


def reversal_of(entry: PostedEntry, key: str, who: Who, on: date, name: str) -> JournalEntry:
    """The mirror of a budget mutation's entry: every posting on the other side."""
    return JournalEntry(
        key=key,
        effective_on=on,
        memo=f"{name} (reverses {entry.key})",
        actor=who.actor,
        reason=who.reason,
        source_document=who.source_document,
        reverses=entry.key,
        postings=tuple(
            Posting(
                p.account,
                Side(p.side).opposite,
                Money.from_minor_units(p.minor_units, p.currency),
            )
            for p in entry.postings
        ),
    )


# --- realisation: what the beschikkingen's own accounts say, per article and year -----------

#: The beschikking stages that hold committed money (grant, raise, release and lapse move
#: money in or out of them; paying, settling and recovering move it between them).
COMMITTED_STAGES = frozenset({"unpaid", "paid", "settled", "recoverable", "recovered"})
#: The stages that hold money paid out (a payment moves it in; a recovery stays inside).
PAID_STAGES = frozenset({"paid", "settled", "recoverable", "recovered"})


@dataclass(frozen=True)
class Flow:
    """The net movement (credit positive, in the account's currency) on one stage account of a
    beschikking in one year. ``fx-eur`` is the EUR side of a foreign-currency grant."""

    nummer: str
    stage: str
    year: int
    amount: Money


@dataclass(frozen=True)
class Grant:
    """What realisation needs to know of a beschikking."""

    nummer: str
    tranche: str
    leaves_article: bool  # a DU (to the funds) or a DO (to another ministry's budget)
    usd_per_eur: Decimal | None = None  # a foreign-currency grant's rate (units per EUR)


@dataclass
class Realised:
    commitments: Money = field(default_factory=Money.zero)
    cash: Money = field(default_factory=Money.zero)
    receipts: Money = field(default_factory=Money.zero)
    to_funds_commitments: Money = field(default_factory=Money.zero)  # DU, to the funds
    to_funds_cash: Money = field(default_factory=Money.zero)

    def of(self, stelsel: Stelsel) -> Money:
        return {
            Stelsel.COMMITMENTS: self.commitments,
            Stelsel.CASH: self.cash,
            Stelsel.RECEIPTS: self.receipts,
        }[stelsel]


def in_euros(amount: Money, grant: Grant) -> Money:
    """A foreign-currency flow in euros at its grant's rate (``ledger.rounding.convert``)."""
    if amount.currency == "EUR":
        return amount
    assert grant.usd_per_eur is not None
    return convert(amount, 1 / grant.usd_per_eur, "EUR")


def realise_each(
    flows: Iterable[Flow], grants: Mapping[str, Grant], article_of: Mapping[str, str]
) -> dict[tuple[str, int, str], Realised]:
    """Commitments, cash and receipts per (article, year, beschikking), from the beschikkingen's
    flows. ``article_of`` maps a tranche to the article that pays it; a beschikking of a tranche
    no article pays is left out."""
    realised: dict[tuple[str, int, str], Realised] = defaultdict(Realised)
    for flow in flows:
        grant = grants[flow.nummer]
        article = article_of.get(grant.tranche)
        if article is None:
            continue
        cell = realised[(article, flow.year, flow.nummer)]
        foreign = grant.usd_per_eur is not None
        if flow.stage == "fx-eur" or (flow.stage in COMMITTED_STAGES and not foreign):
            if grant.leaves_article:
                cell.to_funds_commitments += flow.amount
            else:
                cell.commitments += flow.amount
        if flow.stage in PAID_STAGES:
            euros = in_euros(flow.amount, grant)
            if grant.leaves_article:
                cell.to_funds_cash += euros
            else:
                cell.cash += euros
        if flow.stage == "recovered" and not grant.leaves_article:  # a DU's money is the fund's
            cell.receipts += in_euros(flow.amount, grant)
        if flow.stage == FX_DIFFERENCE:  # what the euros really cost beyond the grant's rate
            cell.commitments += flow.amount
            cell.cash += flow.amount
    return dict(realised)


def realise(
    flows: Iterable[Flow], grants: Mapping[str, Grant], article_of: Mapping[str, str]
) -> dict[tuple[str, int], Realised]:
    """``realise_each`` summed per (article, year)."""
    return per_year(realise_each(flows, grants, article_of))


def per_year(each: Mapping[tuple[str, int, str], Realised]) -> dict[tuple[str, int], Realised]:
    summed: dict[tuple[str, int], Realised] = defaultdict(Realised)
    for (article, year, _nummer), part in each.items():
        cell = summed[(article, year)]
        cell.commitments += part.commitments
        cell.cash += part.cash
        cell.receipts += part.receipts
        cell.to_funds_commitments += part.to_funds_commitments
        cell.to_funds_cash += part.to_funds_cash
    return dict(summed)
