"""Journal entries and postings, and the checks every entry must pass before it is booked.

A posting is a side and a positive amount on one account. An entry has at least two
postings and balances per currency: debits equal credits, exactly. The checks are plain
functions returning every problem at once (``check_*``); ``JournalEntry.create`` is the one
constructor that runs them all and refuses the entry if anything is wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ledger.accounts import Account, Side
from ledger.errors import Problem, raise_if_any
from ledger.money import Money
from ledger.said import Said, said

MAX_TEXT = 2000


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    side: Side
    amount: Money

    def __post_init__(self) -> None:
        object.__setattr__(self, "side", Side(self.side))

    def mirrored(self) -> Posting:
        return Posting(self.account, self.side.opposite, self.amount)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """What to book. ``key`` is the entry's identity and its idempotency key: booking the
    same key twice with the same content books once. ``reverses`` is the key of the entry
    this one reverses."""

    key: str
    effective_on: date
    memo: str
    actor: str
    reason: str
    postings: tuple[Posting, ...]
    source_document: str | None = None
    reverses: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "postings", tuple(self.postings))
        raise_if_any(check_entry_shape(self))

    @classmethod
    def create(cls, accounts: Mapping[str, Account], **fields: object) -> JournalEntry:
        """Build an entry and check it against the accounts it books on; refuse on any problem."""
        entry = cls(**fields)  # type: ignore[arg-type]
        raise_if_any(check_entry_accounts(entry, accounts))
        return entry

    def totals_by_currency(self) -> dict[str, tuple[Decimal, Decimal]]:
        debit: dict[str, Decimal] = defaultdict(Decimal)
        credit: dict[str, Decimal] = defaultdict(Decimal)
        for posting in self.postings:
            target = debit if posting.side is Side.DEBIT else credit
            target[posting.amount.currency] += posting.amount.amount
        return {c: (debit[c], credit[c]) for c in sorted(set(debit) | set(credit))}


def _problem(entry: JournalEntry, code: str, text: Said, **details: object) -> Problem:
    account = details.pop("account", None)
    return Problem.of(code, text, entry=entry.key, account=account, details=details)  # type: ignore[arg-type]


def check_entry_shape(entry: JournalEntry) -> list[Problem]:
    """Everything that can be checked without the accounts: the entry on its own."""
    problems: list[Problem] = []
    problems += _check_texts(entry)
    if not isinstance(entry.effective_on, date) or isinstance(entry.effective_on, datetime):
        problems.append(
            _problem(
                entry,
                "invalid_date",
                said("effective_on must be a date."),
            )
        )
    if len(entry.postings) < 2:
        problems.append(
            _problem(
                entry,
                "too_few_postings",
                said(
                    "Entry {entry} has {length} posting(s); it needs at least two.",
                    entry=entry.key,
                    length=len(entry.postings),
                ),
            )
        )
    for posting in entry.postings:
        if not posting.amount.is_positive():
            problems.append(
                _problem(
                    entry,
                    "non_positive_amount",
                    said(
                        "Posting on {account} is {amount}; amounts must be above zero (the side says the direction).",
                        account=posting.account,
                        amount=posting.amount,
                    ),
                    account=posting.account,
                )
            )
    problems += _check_balanced(entry)
    return problems


def _check_texts(entry: JournalEntry) -> list[Problem]:
    problems = []
    for name in ("key", "actor", "reason"):
        value = getattr(entry, name)
        if not isinstance(value, str) or not value.strip():
            problems.append(
                _problem(
                    entry,
                    f"missing_{name}",
                    said(
                        "Every entry needs a non-empty {name}: who did it, why, and under which key.",
                        name=name,
                    ),
                )
            )
    for name in ("key", "memo", "actor", "reason", "source_document"):
        value = getattr(entry, name)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            problems.append(
                _problem(
                    entry,
                    "text_too_long",
                    said(
                        "{name} is {length} characters; at most {MAX_TEXT}.",
                        name=name,
                        length=len(value),
                        MAX_TEXT=MAX_TEXT,
                    ),
                )
            )
    return problems


def _check_balanced(entry: JournalEntry) -> list[Problem]:
    problems = []
    for currency, (debit, credit) in entry.totals_by_currency().items():
        if debit != credit:
            problems.append(
                _problem(
                    entry,
                    "unbalanced_entry",
                    said(
                        "Entry {entry} does not balance in {currency}: debits {debit}, credits {credit}, difference {value}.",
                        entry=entry.key,
                        currency=currency,
                        debit=debit,
                        credit=credit,
                        value=debit - credit,
                    ),
                    currency=currency,
                    debit=debit,
                    credit=credit,
                )
            )
    return problems


def check_entry_accounts(entry: JournalEntry, accounts: Mapping[str, Account]) -> list[Problem]:
    """The entry against the accounts it books on: known, open, same currency, no mixing of
    memorandum (in kind) and cash accounts."""
    problems: list[Problem] = []
    kinds_seen = set()
    for posting in entry.postings:
        account = accounts.get(posting.account)
        if account is None:
            problems.append(
                _problem(
                    entry,
                    "unknown_account",
                    said(
                        "Account {account} does not exist; open it first.", account=posting.account
                    ),
                    account=posting.account,
                )
            )
            continue
        kinds_seen.add(account.kind.is_memorandum)
        if account.closed:
            problems.append(
                _problem(
                    entry,
                    "account_closed",
                    said(
                        "Account {account} is closed and takes no new postings.",
                        account=account.code,
                    ),
                    account=account.code,
                )
            )
        if posting.amount.currency != account.currency:
            problems.append(
                _problem(
                    entry,
                    "currency_mismatch",
                    said(
                        "Posting in {currency} on account {account}, which is kept in {currency2}.",
                        currency=posting.amount.currency,
                        account=account.code,
                        currency2=account.currency,
                    ),
                    account=account.code,
                )
            )
    if len(kinds_seen) > 1:
        problems.append(
            _problem(
                entry,
                "memorandum_mixed",
                said(
                    "Entry {entry} mixes memorandum (in kind) accounts with cash accounts.",
                    entry=entry.key,
                ),
            )
        )
    return problems


def reverse_entry(
    original: JournalEntry,
    *,
    key: str,
    actor: str,
    reason: str,
    effective_on: date | None = None,
    memo: str | None = None,
    source_document: str | None = None,
) -> JournalEntry:
    """The mirror image of ``original``: every posting on the other side, linked to it."""
    return JournalEntry(
        key=key,
        effective_on=effective_on or original.effective_on,
        memo=memo if memo is not None else f"Reversal of {original.key}: {original.memo}",
        actor=actor,
        reason=reason,
        postings=tuple(p.mirrored() for p in original.postings),
        source_document=source_document or original.source_document,
        reverses=original.key,
    )


def is_mirror_image(original: JournalEntry, reversal: JournalEntry) -> bool:
    def signature(postings: Iterable[Posting]) -> list[tuple[str, str, Decimal, str]]:
        return sorted(
            (p.account, p.side.value, p.amount.amount, p.amount.currency) for p in postings
        )

    return signature(p.mirrored() for p in original.postings) == signature(reversal.postings)
