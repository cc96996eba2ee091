"""What a booking did, said in the reader's language. A journal entry keeps the memo it was
booked with (part of its hash, never changed); a page for people says instead what the entry's
postings show, through the one formatter, so a Dutch page never reads ``15000000.00 EUR``.
Pure: account codes (``ledger.regio.chart``) and amounts in, a sentence out; an entry this
module does not recognise keeps its memo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ledger.accounts import Side
from ledger.money import Money
from ledger.regio import chart
from ledger.regio.snapshot import BudgetChange
from ledger.words import money

SOURCE_WORDS = {
    "nl": {
        "rijk": "rijksmiddelen",
        "cofinanciering_publiek": "publieke cofinanciering",
        "cofinanciering_privaat": "private cofinanciering",
        "in_natura": "bijdragen in natura",
    },
    "en": {
        "rijk": "Rijk money",
        "cofinanciering_publiek": "public co-financing",
        "cofinanciering_privaat": "private co-financing",
        "in_natura": "in-kind contributions",
    },
}
SENTENCES = {
    "nl": {
        "fund": "Envelop {owner} vastgesteld op {amount}",
        "allocate": "Tranche {to} krijgt {amount} uit envelop {owner}",
        "shift": "{amount} verschoven van tranche {from_} naar tranche {to}",
        "add": "{amount} van buiten de envelop toegevoegd aan tranche {to}",
        "reserve": "{amount} gereserveerd in tranche {from_} ({to})",
        "set_aside": "{amount} uit envelop {owner} toegekend aan {to} (geen Regio Deal)",
        "release_reserve": "Reservering {from_}: {amount} terug naar tranche {to}",
        "article": "Overheveling tussen begrotingsartikelen voor tranche {to}: {amount} (geen envelopgeld)",
        "sign": "Convenant {to} getekend: Rijksbijdrage {amount}",
        "deal_change": "Convenant {to}: Rijksbijdrage gewijzigd met {amount}",
        "grant": "Beschikking {to}: {amount} beschikt",
        "release": "Beschikking {owner}: {amount} terug naar deal {to}",
        "pay": "Betaling op beschikking {owner}: {amount}",
        "spend": "Besteding {year} op beschikking {owner} uit {source}: {amount}",
        "settle": "Vaststelling van beschikking {owner}: {amount} verantwoord",
        "recover": "Terugbetaling op beschikking {owner}: {amount}",
        "lapse": "Beschikking {owner}: {amount} vervallen",
    },
    "en": {
        "fund": "Envelope {owner} set at {amount}",
        "allocate": "Tranche {to} gets {amount} from envelope {owner}",
        "shift": "{amount} shifted from tranche {from_} to tranche {to}",
        "add": "{amount} added to tranche {to} from outside the envelope",
        "reserve": "{amount} reserved in tranche {from_} ({to})",
        "set_aside": "{amount} from envelope {owner} given to {to} (no Regio Deal)",
        "release_reserve": "Reservation {from_}: {amount} back to tranche {to}",
        "article": "Transfer between budget articles for tranche {to}: {amount} (no envelope money)",
        "sign": "Convenant {to} signed: Rijksbijdrage {amount}",
        "deal_change": "Convenant {to}: Rijksbijdrage changed by {amount}",
        "grant": "Beschikking {to}: {amount} granted",
        "release": "Beschikking {owner}: {amount} back to deal {to}",
        "pay": "Payment on beschikking {owner}: {amount}",
        "spend": "Spending {year} on beschikking {owner} from {source}: {amount}",
        "settle": "Vaststelling of beschikking {owner}: {amount} accounted for",
        "recover": "Repayment on beschikking {owner}: {amount}",
        "lapse": "Beschikking {owner}: {amount} lapsed",
    },
}
CHANGE_SENTENCE = {"fund": "fund", "allocate": "allocate", "shift": "shift", "add": "add"}


class PostingLike(Protocol):
    account: str
    side: str  # "debit" or "credit" (``ledger.accounts.Side``)
    money: Money


def describe_change(change: BudgetChange, lang: str = "nl") -> str:
    """A budget change (``report tranches``' history) in the reader's words."""
    kind = CHANGE_SENTENCE.get(change.kind, "reserve")
    return SENTENCES[lang][kind].format(
        owner=change.envelope,
        to=change.to_tranche or change.reservation or "",
        from_=change.from_tranche or "",
        amount=money(change.amount, lang),
    )


def describe_entry(postings: Sequence[PostingLike], memo: str, lang: str = "nl") -> str:
    """The first movement of an entry that says what it did; the memo if none does."""
    for credit in (p for p in postings if p.side == Side.CREDIT):
        debit = next((p for p in postings if p.side == Side.DEBIT), None)
        sentence = _movement(credit, debit, lang)
        if sentence:
            return sentence
    return memo


def _movement(credit: PostingLike, debit: PostingLike | None, lang: str) -> str | None:
    if credit.account.count(":") < 2 or (debit is not None and debit.account.count(":") < 2):
        return None  # not an account of the Regio Deals' chart
    to = chart.parse(credit.account)
    source = chart.parse(debit.account) if debit is not None else None
    amount = money(credit.money, lang)
    words = SENTENCES[lang]
    if to.is_spending:
        return words["spend"].format(
            year=to.year, owner=to.owner, source=SOURCE_WORDS[lang][to.source], amount=amount
        )
    stage = to.stage.split(":")[0]
    key = {
        ("tranche", "available"): "allocate",
        ("reservation", "available"): "reserve",
        ("envelope", "set-aside"): "set_aside",
        ("envelope", "article"): "article",
        ("deal", "ungranted"): "release"
        if source is not None and source.kind == "beschikking"
        else "sign",
        ("beschikking", "unpaid"): "grant",
        ("beschikking", "paid"): "pay",
        ("beschikking", "settled"): "settle",
        ("beschikking", "recovered"): "recover",
        ("beschikking", "lapsed"): "lapse",
    }.get((to.kind, stage))
    if key is None:
        return None
    owner, target, from_ = to.owner, to.owner, ""
    if key == "reserve" and source is not None:
        from_ = source.owner
    elif key == "allocate" and source is not None:
        owner, from_ = source.owner, source.owner
        if source.kind == "tranche":
            key = "shift"
        elif source.kind == "reservation":
            key, from_ = "release_reserve", source.owner
        elif source.stage == "additions":
            key = "add"
    elif key in ("set_aside", "article"):
        target = to.stage.split(":", 1)[1]
    elif key == "release" and source is not None:
        owner = source.owner
    return words[key].format(owner=owner, to=target, from_=from_, amount=amount)
