"""The journal entry each Regio Deals operation books. Pure: objects in, entries out.

Every function takes the entry's ``key`` (its idempotency key), a ``Who`` (actor, reason,
source document) and the effective date, and returns one balanced ``JournalEntry``.
"""

from __future__ import annotations

from datetime import date

from ledger.accounts import Side
from ledger.entries import JournalEntry, Posting
from ledger.money import Money
from ledger.regio import chart
from ledger.regio.model import Beschikking, Deal, Envelope, FundingSource, Who
from ledger.rounding import convert

D, C = Side.DEBIT, Side.CREDIT


def _entry(key: str, who: Who, on: date, memo: str, *moves: tuple[str, str, Money]) -> JournalEntry:
    """``moves`` are (from account, to account, amount): a debit on the first, a credit on the second."""
    postings: list[Posting] = []
    for source, target, amount in moves:
        postings += [Posting(source, D, amount), Posting(target, C, amount)]
    return JournalEntry(
        key=key,
        effective_on=on,
        memo=memo,
        actor=who.actor,
        reason=who.reason,
        source_document=who.source_document,
        postings=tuple(postings),
    )


def fund_envelope(key: str, who: Who, envelope: Envelope) -> JournalEntry:
    return _entry(
        key,
        who,
        envelope.starts_on,
        f"Regio Envelop {envelope.code} set at {envelope.amount}",
        (
            chart.envelope_source(envelope.code),
            chart.envelope_unallocated(envelope.code),
            envelope.amount,
        ),
    )


def add_to_envelope(
    key: str, who: Who, on: date, envelope: str, tranche: str, amount: Money
) -> JournalEntry:
    """Money from outside the envelope, straight to a tranche."""
    return _entry(
        key,
        who,
        on,
        f"Added from outside envelope {envelope} to tranche {tranche}: {amount}",
        (chart.envelope_additions(envelope), chart.tranche_available(tranche), amount),
    )


def set_aside(
    key: str, who: Who, on: date, envelope: str, purpose: str, name: str, amount: Money
) -> JournalEntry:
    """Envelope money for a purpose that is no deal: it leaves the unallocated money for good."""
    return _entry(
        key,
        who,
        on,
        f"Set aside from envelope {envelope} for {name}: {amount}",
        (chart.envelope_unallocated(envelope), chart.envelope_set_aside(envelope, purpose), amount),
    )


def article_transfer(
    key: str, who: Who, on: date, envelope: str, tranche: str, name: str, amount: Money
) -> JournalEntry:
    """A transfer between budget articles for a tranche: no envelope money moves."""
    return _entry(
        key,
        who,
        on,
        f"{name}: {amount} for tranche {tranche} (no envelope money moves)",
        (chart.budget_article_source(envelope), chart.budget_article(envelope, tranche), amount),
    )


def allocate_tranche(
    key: str, who: Who, on: date, envelope: str, tranche: str, amount: Money
) -> JournalEntry:
    return _entry(
        key,
        who,
        on,
        f"Tranche {tranche} allocated {amount} from envelope {envelope}",
        (chart.envelope_unallocated(envelope), chart.tranche_available(tranche), amount),
    )


def shift_between_tranches(
    key: str, who: Who, on: date, from_tranche: str, to_tranche: str, amount: Money
) -> JournalEntry:
    return _entry(
        key,
        who,
        on,
        f"Shift of {amount} from tranche {from_tranche} to tranche {to_tranche}",
        (chart.tranche_available(from_tranche), chart.tranche_available(to_tranche), amount),
    )


def reserve(
    key: str, who: Who, on: date, tranche: str, reservation: str, amount: Money
) -> JournalEntry:
    return _entry(
        key,
        who,
        on,
        f"Reservation {reservation} of {amount} inside tranche {tranche}",
        (chart.tranche_available(tranche), chart.reservation_available(reservation), amount),
    )


def release_reservation(
    key: str, who: Who, on: date, tranche: str, reservation: str, amount: Money
) -> JournalEntry:
    """What a reservation will not be used for goes back to its tranche's free money."""
    return _entry(
        key,
        who,
        on,
        f"Reservation {reservation}: {amount} back to tranche {tranche}",
        (chart.reservation_available(reservation), chart.tranche_available(tranche), amount),
    )


def sign_deal(key: str, who: Who, deal: Deal) -> JournalEntry:
    source = (
        chart.reservation_available(deal.reservation)
        if deal.reservation
        else chart.tranche_available(deal.tranche)
    )
    return _entry(
        key,
        who,
        deal.signed_on,
        f"Convenant {deal.code} ({deal.name}) signed: Rijksbijdrage {deal.rijksbijdrage}",
        (source, chart.deal_ungranted(deal.code), deal.rijksbijdrage),
    )


def grant(key: str, who: Who, beschikking: Beschikking) -> JournalEntry:
    """The beschikking takes its amount from the deal and opens its spending capacity."""
    nummer, amount = beschikking.nummer, beschikking.amount
    b = lambda stage: chart.beschikking_account(nummer, stage)  # noqa: E731
    capacity = (b("capacity"), b("unspent"), amount)
    memo = f"Beschikking {nummer} ({beschikking.instrument}) to {beschikking.recipient}: {amount}"
    if amount.currency == "EUR":
        return _entry(
            key,
            who,
            beschikking.decided_on,
            memo,
            (chart.deal_ungranted(beschikking.deal), b("unpaid"), amount),
            capacity,
        )
    memo += f" = {beschikking.eur_amount} at {beschikking.usd_per_eur} {amount.currency} per EUR"
    return _entry(
        key,
        who,
        beschikking.decided_on,
        memo,
        (chart.deal_ungranted(beschikking.deal), b("fx-eur"), beschikking.eur_amount),
        (b("fx-usd"), b("unpaid"), amount),
        capacity,
    )


def release_grant(
    key: str, who: Who, on: date, beschikking: Beschikking, amount: Money, eur_amount: Money
) -> JournalEntry:
    """Give an unpaid, unspent part of a grant back to its deal (as when a DU becomes a SPUK)."""
    nummer = beschikking.nummer
    b = lambda stage: chart.beschikking_account(nummer, stage)  # noqa: E731
    moves = [(b("unspent"), b("capacity"), amount)]
    if amount.currency == "EUR":
        moves.append((b("unpaid"), chart.deal_ungranted(beschikking.deal), amount))
    else:
        moves += [
            (b("unpaid"), b("fx-usd"), amount),
            (b("fx-eur"), chart.deal_ungranted(beschikking.deal), eur_amount),
        ]
    return _entry(
        key,
        who,
        on,
        f"Beschikking {nummer}: {amount} released back to deal {beschikking.deal}",
        *moves,
    )


def lower_grant_below_paid(
    key: str,
    who: Who,
    on: date,
    beschikking: Beschikking,
    *,
    granted: Money,
    paid: Money,
    amount: Money,
) -> JournalEntry:
    """A wijzigingsbeschikking that lowers a grant below what was paid, in one entry, as a
    vaststelling treats an overpayment: the unpaid part goes back to the deal, what was paid
    beyond the new grant becomes a terugvordering (recoverable), and the spending capacity
    shrinks by the whole decrease."""
    b = lambda stage: chart.beschikking_account(beschikking.nummer, stage)  # noqa: E731
    moves = [(b("unspent"), b("capacity"), granted - amount)]
    if (unpaid := granted - paid).is_positive():
        moves.append((b("unpaid"), chart.deal_ungranted(beschikking.deal), unpaid))
    moves.append((b("paid"), b("recoverable"), paid - amount))
    memo = (
        f"Wijzigingsbeschikking {beschikking.nummer}: the grant lowered to {amount}, below the "
        f"{paid} paid; {paid - amount} to be reclaimed"
    )
    return _entry(key, who, on, memo, *moves)


def increase_grant(
    key: str, who: Who, on: date, beschikking: Beschikking, amount: Money, eur_amount: Money
) -> JournalEntry:
    """A wijzigingsbeschikking that raises the grant: more of the deal's money is granted, and
    the spending capacity grows with it (``eur_amount``: what it commits in euros)."""
    nummer = beschikking.nummer
    b = lambda stage: chart.beschikking_account(nummer, stage)  # noqa: E731
    moves = [(b("capacity"), b("unspent"), amount)]
    if amount.currency == "EUR":
        moves.append((chart.deal_ungranted(beschikking.deal), b("unpaid"), amount))
    else:
        moves += [
            (chart.deal_ungranted(beschikking.deal), b("fx-eur"), eur_amount),
            (b("fx-usd"), b("unpaid"), amount),
        ]
    return _entry(key, who, on, f"Wijzigingsbeschikking {nummer}: {amount} more granted", *moves)


def change_deal(key: str, who: Who, on: date, deal: Deal, change: Money) -> JournalEntry:
    """A convenant's Rijksbijdrage changed by ``change`` (negative: money back to its tranche or
    reservation; a withdrawal gives back all of it)."""
    source = (
        chart.reservation_available(deal.reservation)
        if deal.reservation
        else chart.tranche_available(deal.tranche)
    )
    move = (
        (source, chart.deal_ungranted(deal.code), change)
        if change.is_positive()
        else (chart.deal_ungranted(deal.code), source, -change)
    )
    return _entry(key, who, on, f"Convenant {deal.code}: Rijksbijdrage changed by {change}", move)


def pay(
    key: str,
    who: Who,
    on: date,
    beschikking: Beschikking,
    amount: Money,
    eur_paid: Money | None = None,
) -> JournalEntry:
    """A payment; for a foreign-currency grant with ``eur_paid`` (the euros it really cost on
    its date), the difference with the grant's rate is booked as an exchange difference."""
    b = lambda stage: chart.beschikking_account(beschikking.nummer, stage)  # noqa: E731
    memo = f"Payment on beschikking {beschikking.nummer}: {amount}"
    moves = [(b("unpaid"), b("paid"), amount)]
    if eur_paid is not None:
        memo += f" = {eur_paid} paid"
        difference = eur_paid - at_grant_rate(beschikking, amount)
        if difference.is_positive():
            moves.append((b(chart.FX_SOURCE), b(chart.FX_DIFFERENCE), difference))
        elif difference.minor_units < 0:
            moves.append((b(chart.FX_DIFFERENCE), b(chart.FX_SOURCE), -difference))
    return _entry(key, who, on, memo, *moves)


def at_grant_rate(beschikking: Beschikking, amount: Money) -> Money:
    """A foreign amount in euros at the grant's rate (``ledger.rounding.convert``)."""
    assert beschikking.usd_per_eur is not None
    return convert(amount, 1 / beschikking.usd_per_eur, "EUR")


def record_spending(
    key: str,
    who: Who,
    on: date,
    beschikking: Beschikking,
    year: int,
    source: FundingSource,
    amount: Money,
    memo: str = "",
) -> JournalEntry:
    """Spending in ``year`` from ``source``; a negative amount is a correction (booked the other way)."""
    nummer = beschikking.nummer
    spent = chart.spent_account(nummer, year, source)
    origin = (
        chart.beschikking_account(nummer, "unspent")
        if source is FundingSource.RIJK
        else chart.cofinancing_source(nummer, source)
    )
    move = (origin, spent, amount) if amount.is_positive() else (spent, origin, -amount)
    text = memo or f"Spending {year} on {nummer} from {source.value}: {amount}"
    return _entry(key, who, on, text, move)


def settle(
    key: str,
    who: Who,
    on: date,
    beschikking: Beschikking,
    *,
    granted: Money,
    paid: Money,
    eligible: Money,
    unspent: Money,
) -> JournalEntry:
    """Vaststelling: the eligible amount is settled; what was paid beyond it becomes a
    terugvordering (recoverable); what was neither paid nor needed lapses. If more is eligible
    than was paid, the rest is paid out as part of the settlement (nabetaling)."""
    b = lambda stage: chart.beschikking_account(beschikking.nummer, stage)  # noqa: E731
    moves = []
    if eligible > paid:
        moves.append((b("unpaid"), b("paid"), eligible - paid))
    if eligible.is_positive():
        moves.append((b("paid"), b("settled"), eligible))
    if paid > eligible:
        moves.append((b("paid"), b("recoverable"), paid - eligible))
    lapsing = granted - (eligible if eligible > paid else paid)
    if lapsing.is_positive():
        moves.append((b("unpaid"), b("lapsed"), lapsing))
    if unspent.is_positive():  # the spending capacity closes with the grant
        moves.append((b("unspent"), b("capacity"), unspent))
    memo = f"Vaststelling {beschikking.nummer}: eligible {eligible}, paid {paid}, granted {granted}"
    return _entry(key, who, on, memo, *moves)


def repay(key: str, who: Who, on: date, beschikking: Beschikking, amount: Money) -> JournalEntry:
    b = lambda stage: chart.beschikking_account(beschikking.nummer, stage)  # noqa: E731
    return _entry(
        key,
        who,
        on,
        f"Terugbetaling on beschikking {beschikking.nummer}: {amount}",
        (b("recoverable"), b("recovered"), amount),
    )


def book_statement(
    key: str,
    who: Who,
    on: date,
    beschikking: Beschikking,
    year: int,
    totals: dict[FundingSource, Money],
) -> list[JournalEntry]:
    """A year's spending statement: per funding source its net amount moves to (or, when
    negative, back from) the year's spent account. Cash and in-kind values never share an
    entry, so a statement books up to two: ``KEY:cash`` and ``KEY:in-kind``."""
    nummer = beschikking.nummer
    cash, in_kind = [], []
    for source, amount in totals.items():
        if amount.is_zero():
            continue
        spent = chart.spent_account(nummer, year, source)
        origin = (
            chart.beschikking_account(nummer, "unspent")
            if source is FundingSource.RIJK
            else chart.cofinancing_source(nummer, source)
        )
        move = (origin, spent, amount) if amount.is_positive() else (spent, origin, -amount)
        (in_kind if source is FundingSource.IN_NATURA else cash).append(move)
    memo = f"Spending statement {year} of beschikking {nummer}"
    entries = []
    if cash:
        entries.append(_entry(f"{key}:cash", who, on, memo, *cash))
    if in_kind:
        entries.append(_entry(f"{key}:in-kind", who, on, f"{memo} (in kind)", *in_kind))
    return entries
