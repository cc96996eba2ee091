"""The Regio Deals' rules as plain functions that return every problem (``check_*``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger import words
from ledger.errors import LedgerError, Problem
from ledger.money import Money
from ledger.regio import chart
from ledger.regio.model import (
    Beschikking,
    Deal,
    Envelope,
    FundingSource,
    Instrument,
    Organisation,
    OrganisationType,
    PledgeKind,
)
from ledger.rounding import convert, round_down, round_half_away_from_zero
from ledger.text import check_identifier


def problem(code: str, en: str, nl: str, **details: object) -> Problem:
    return Problem(code, en, nl, details=details)


def check_codes(**codes: str | None) -> list[Problem]:
    """Every code of an object follows the one identifier grammar (``ledger.text``): codes end
    up in account codes, URLs, file names and CSV cells."""
    return [
        p
        for field, value in codes.items()
        if value is not None
        for p in check_identifier(field, value)
    ]


# --- the rules per instrument and tranche, as data (``regioledger rules list``) ---------------


@dataclass(frozen=True)
class InstrumentRule:
    instrument: Instrument
    name: str
    recipients: frozenset[OrganisationType]
    currency: str
    accountability: str  # how it is accounted for
    basis: str  # where the rule comes from


INSTRUMENT_RULES: dict[Instrument, InstrumentRule] = {
    Instrument.SPUK: InstrumentRule(
        Instrument.SPUK,
        "specifieke uitkering",
        frozenset({OrganisationType.GEMEENTE, OrganisationType.PROVINCIE, OrganisationType.WGR}),
        "EUR",
        "SiSa-bijlage bij de jaarrekening, per beschikking en jaar; vaststelling na eindverantwoording",
        "Financiële-verhoudingswet, art. 17a; BBV art. 58a",
    ),
    Instrument.DU: InstrumentRule(
        Instrument.DU,
        "decentralisatie-uitkering",
        frozenset({OrganisationType.GEMEENTE, OrganisationType.PROVINCIE}),
        "EUR",
        "geen: algemene middelen via het Gemeente- of Provinciefonds (geen SiSa, geen vaststelling)",
        "Financiële-verhoudingswet (uitkering uit het Gemeentefonds of Provinciefonds)",
    ),
    Instrument.BU: InstrumentRule(
        Instrument.BU,
        "bijzondere uitkering",
        frozenset({OrganisationType.OPENBAAR_LICHAAM_BES}),
        "USD",
        "eigen verantwoording van het openbaar lichaam (geen SiSa), in US dollars",
        "Financiële-verhoudingswet BES (de dollar is de munt van Caribisch Nederland)",
    ),
    Instrument.DO: InstrumentRule(
        Instrument.DO,
        "departementale overboeking",
        frozenset({OrganisationType.RIJK}),
        "EUR",
        "geen: het geld gaat naar de begroting van een ander ministerie (geen SiSa)",
        "overboeking tussen begrotingen, zoals voor ESTEC en Caribisch Nederland in tranche 1",
    ),
}


@dataclass(frozen=True)
class CofinancingRule:
    """What a deal's regional money must reach against its Rijksbijdrage, and what counts."""

    tranches: frozenset[str]
    minimum_ratio: Decimal  # regional money per Rijk euro
    counts_private: bool  # private partners' money counts
    counts_in_kind: bool  # contributions in kind count
    basis: str


#: Where the regions' share comes from: the Rebel study of the Regio Deals for BZK/VRO (sent with
#: Kamerstuk 29 697, nr. 157, 14 november 2024) says regions "financieren mee naar draagkracht en
#: de omvang van de Regio Deal"; the ratios below are the programme's starting points, for which
#: no published regeling text was found. A deal that departs from them records why
#: (``Deal.cofinancing_exception``).
COFINANCING_RULES: tuple[CofinancingRule, ...] = (
    CofinancingRule(
        frozenset({"T1", "T2", "T3"}),
        Decimal(1),
        counts_private=False,
        counts_in_kind=False,
        basis="tranches 1-3 (LNV): ten minste 1:1 uit publieke middelen; uitgangspunt van het programma, "
        "geen gepubliceerde regelingtekst gevonden",
    ),
    CofinancingRule(
        frozenset({"T4", "T5", "T6"}),
        Decimal(1),
        counts_private=True,
        counts_in_kind=True,
        basis="vanaf tranche 4 (BZK): het Rijk ten hoogste 50% als uitgangspunt, private bijdragen en "
        "bijdragen in natura tellen mee; Rebel, rode draden Regio Deals (bij Kamerstuk 29 697, nr. 157, "
        "14 november 2024): regio's financieren mee 'naar draagkracht en de omvang van de Regio Deal'",
    ),
)
#: Published bounds of a deal's Rijksbijdrage per tranche: none were found in the public sources.
RIJKSBIJDRAGE_BOUNDS: dict[str, tuple[Money, Money]] = {}


def rules_as_data() -> dict[str, object]:
    """The rules per instrument and tranche as one document (``regioledger rules list``, ``GET /rules``)."""
    return {
        "instruments": [
            {
                "instrument": r.instrument.value,
                "name": r.name,
                "currency": r.currency,
                "recipients": sorted(t.value for t in r.recipients),
                "accountability": r.accountability,
                "basis": r.basis,
            }
            for r in INSTRUMENT_RULES.values()
        ],
        "cofinancing": [
            {
                "tranches": sorted(r.tranches),
                "minimum_ratio": str(r.minimum_ratio),
                "counts_private": r.counts_private,
                "counts_in_kind": r.counts_in_kind,
                "basis": r.basis,
            }
            for r in COFINANCING_RULES
        ],
        "rijksbijdrage_bounds": {
            t: {"minimum": str(low.amount), "maximum": str(high.amount)}
            for t, (low, high) in RIJKSBIJDRAGE_BOUNDS.items()
        },
        "rijksbijdrage_bounds_note": "geen gepubliceerde grenzen per tranche gevonden"
        if not RIJKSBIJDRAGE_BOUNDS
        else "",
        "exceptions": "een deal die afwijkt legt de reden en de bron vast (cofinancing_exception)",
    }


def cofinancing_rule(tranche: str) -> CofinancingRule:
    return next(
        (rule for rule in COFINANCING_RULES if tranche in rule.tranches), COFINANCING_RULES[-1]
    )


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


def counted_realised(
    tranche: str, public_cash: Money, private_cash: Money, in_kind: Money
) -> Money:
    """The regional money spent that counts under the tranche's co-financing rule (tranches 1-3:
    public cash only; from tranche 4: private money and in kind too)."""
    rule = cofinancing_rule(tranche)
    return (
        public_cash
        + (private_cash if rule.counts_private else Money.zero())
        + (in_kind if rule.counts_in_kind else Money.zero())
    )


def cofinancing_cap(tranche: str, public: Money, private: Money, in_kind: Money) -> Money:
    """The most Rijk spending the realised regional money carries under the tranche's rule:
    the counted regional money over the ratio (tranches 1-3: public cash 1:1; from tranche 4 the
    Rijk at most half of the whole), rounded down to the cent."""
    rule = cofinancing_rule(tranche)
    counted = counted_realised(tranche, public, private, in_kind)
    return round_down(counted.amount / rule.minimum_ratio, counted.currency)


def check_cofinancing_at_settlement(
    nummer: str, tranche: str, eligible: Money, cap: Money, exception: str | None
) -> list[Problem]:
    """At vaststelling the Rijk settles at most what the realised co-financing carries, unless
    the officer records why not (``cofinancing_exception``)."""
    if eligible <= cap or (exception and exception.strip()):
        return []
    short = eligible - cap
    return [
        problem(
            "cofinancing_short_at_settlement",
            f"Beschikking {nummer}: under tranche {tranche}'s rule the realised regional money "
            f"carries at most {words.money(cap, 'en')} of Rijk spending, not "
            f"{words.money(eligible, 'en')}: settle {words.money(short, 'en')} more as "
            "ineligible, or record why not (cofinancing_exception).",
            f"Beschikking {nummer}: volgens de regel van tranche {tranche} draagt de "
            f"gerealiseerde regionale financiering hoogstens {words.money(cap)} aan "
            f"rijksbesteding, niet {words.money(eligible)}: stel {words.money(short)} meer vast "
            "als niet-subsidiabel, of leg vast waarom niet (cofinancing_exception).",
        )
    ]


def realised_cofinancing_short(tranche: str, spent_rijk: Money, counted: Money) -> bool:
    """What was realised falls below the tranche's ratio: the counted regional money spent is
    less than the Rijk money spent times the ratio (from tranche 4, with a ratio of 1: the Rijk
    more than half of the whole)."""
    rule = cofinancing_rule(tranche)
    return spent_rijk.is_positive() and counted.amount < spent_rijk.amount * rule.minimum_ratio


def cofinancing_short(deal: Deal) -> bool:
    """The counted pledges fall below the rule's ratio, and no exception is recorded."""
    rule = cofinancing_rule(deal.tranche)
    if deal.cofinancing_exception or not deal.rijksbijdrage.is_positive():
        return False
    return counted_pledges(deal).amount < deal.rijksbijdrage.amount * rule.minimum_ratio


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
        problems.append(
            problem(
                "invalid_amount",
                f"Envelope {envelope.code}: the budget must be a positive euro amount.",
                f"Envelop {envelope.code}: het budget moet een positief bedrag in euro zijn.",
            )
        )
    if envelope.ends_on < envelope.starts_on:
        problems.append(
            problem(
                "invalid_period",
                f"Envelope {envelope.code} ends ({envelope.ends_on}) before it starts ({envelope.starts_on}).",
                f"Envelop {envelope.code} eindigt ({envelope.ends_on}) voordat hij begint ({envelope.starts_on}).",
            )
        )
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


def check_spending(
    beschikking: Beschikking,
    spending_ends_on: date,
    on: date,
    year: int,
    source: FundingSource,
    amount: Money,
) -> list[Problem]:
    n = beschikking.nummer
    problems = check_accountable(beschikking)
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


def check_accountable(beschikking: Beschikking) -> list[Problem]:
    """A DU (general funds) and a DO (another ministry's budget) have no spending to report."""
    instrument = beschikking.instrument
    if instrument not in (Instrument.DU, Instrument.DO):
        return []
    rule = INSTRUMENT_RULES[instrument]
    return [
        problem(
            f"{instrument.lower()}_has_no_accountability",
            f"Beschikking {beschikking.nummer} is a {rule.name} ({instrument}): its spending is not reported here ({rule.accountability}).",
            f"Beschikking {beschikking.nummer} is een {rule.name} ({instrument}): de besteding wordt hier niet verantwoord ({rule.accountability}).",
        )
    ]


def check_settlement(beschikking: Beschikking, ineligible: Money, spent: Money) -> list[Problem]:
    n = beschikking.nummer
    if beschikking.instrument in (Instrument.DU, Instrument.DO):
        code = f"{beschikking.instrument.lower()}_has_no_settlement"
        return [
            problem(
                code,
                f"Beschikking {n} is a {beschikking.instrument}: it has no vaststelling.",
                f"Beschikking {n} is een {beschikking.instrument}: die wordt niet vastgesteld.",
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


def check_year_ended(what: str, year: int, today: date) -> list[Problem]:
    """A year is accounted for (a statement, an eindverantwoording) only after it has ended."""
    if today.year > year:
        return []
    return [
        problem(
            "year_not_ended",
            f"{what} for {year} can be made from 1 January {year + 1}; today is {today}.",
            f"{what} over {year} kan vanaf 1 januari {year + 1}; vandaag is het {today}.",
            year=year,
            today=today.isoformat(),
        )
    ]


def check_final(
    beschikking: Beschikking, year: int, final_year: int | None, today: date
) -> list[Problem]:
    n = beschikking.nummer
    if problems := check_accountable(beschikking):
        return problems
    if final_year is not None:
        return [
            problem(
                "already_final",
                f"Beschikking {n} already had its eindverantwoording in {final_year}.",
                f"Beschikking {n} heeft al eindverantwoording over {final_year}.",
            )
        ]
    if problems := check_year_ended("The eindverantwoording", year, today):
        return problems
    if year < beschikking.decided_on.year:
        return [
            problem(
                "date_outside_year",
                f"Beschikking {n} was decided after {year}.",
                f"Beschikking {n} is na {year} genomen.",
            )
        ]
    return []


def check_not_final(nummer: str, final_year: int) -> list[Problem]:
    return [
        problem(
            "year_final",
            f"Beschikking {nummer} had its eindverantwoording over {final_year}; nothing more is spent on it.",
            f"Beschikking {nummer} heeft eindverantwoording over {final_year}; er wordt niets meer op besteed.",
        )
    ]


# --- dates inside each object's life ---------------------------------------------------------


def _not_before(
    code: str, what: tuple[str, str], on: date, limit: date, limit_is: tuple[str, str]
) -> list[Problem]:
    """``what`` (English, Dutch) dated ``on`` may not lie before ``limit`` (what that date is)."""
    if on >= limit:
        return []
    return [
        problem(
            code,
            f"{what[0]} is dated {on}, before {limit_is[0]} ({limit}); date it on or after {limit}.",
            f"{what[1]} is gedateerd {on}, vóór {limit_is[1]} ({limit}); kies {limit} of later.",
            effective_on=on,
            limit=limit,
        )
    ]


def _not_after(
    code: str, what: tuple[str, str], on: date, limit: date, limit_is: tuple[str, str]
) -> list[Problem]:
    if on <= limit:
        return []
    return [
        problem(
            code,
            f"{what[0]} is dated {on}, after {limit_is[0]} ({limit}); date it on or before {limit}.",
            f"{what[1]} is gedateerd {on}, na {limit_is[1]} ({limit}); kies {limit} of eerder.",
            effective_on=on,
            limit=limit,
        )
    ]


def check_in_envelope(what: tuple[str, str], on: date, envelope: Envelope) -> list[Problem]:
    """Budget moves and decisions of an envelope fall inside its period."""
    period = (f"the period of envelope {envelope.code}", f"de periode van envelop {envelope.code}")
    return _not_before(
        "outside_envelope_period",
        what,
        on,
        envelope.starts_on,
        (f"the start of {period[0]}", f"het begin van {period[1]}"),
    ) + _not_after(
        "outside_envelope_period",
        what,
        on,
        envelope.ends_on,
        (f"the end of {period[0]}", f"het einde van {period[1]}"),
    )


def check_same_envelope(
    from_tranche: str, from_envelope: str, to_tranche: str, to_envelope: str
) -> list[Problem]:
    if from_envelope == to_envelope:
        return []
    return [
        problem(
            "shift_across_envelopes",
            f"Tranche {from_tranche} is in envelope {from_envelope}, tranche {to_tranche} in {to_envelope}: "
            "budget moves between tranches of one envelope only.",
            f"Tranche {from_tranche} hoort bij envelop {from_envelope}, tranche {to_tranche} bij {to_envelope}: "
            "budget verschuift alleen tussen tranches van één envelop.",
        )
    ]


def check_deal_dates(deal: Deal, envelope: Envelope, budget_since: date | None) -> list[Problem]:
    """A convenant is signed inside its envelope's period, and not before its tranche (or its
    reservation) had budget to commit."""
    what = (f"Convenant {deal.code}", f"Convenant {deal.code}")
    problems = check_in_envelope(what, deal.signed_on, envelope)
    if budget_since is None:
        where = f"reservation {deal.reservation}" if deal.reservation else f"tranche {deal.tranche}"
        problems.append(
            problem(
                "deal_before_budget",
                f"Convenant {deal.code}: {where} has no budget yet; allocate it first.",
                f"Convenant {deal.code}: {where} heeft nog geen budget; ken dat eerst toe.",
            )
        )
    else:
        problems += _not_before(
            "deal_before_budget",
            what,
            deal.signed_on,
            budget_since,
            ("the day its budget arrived", "de dag waarop het budget er was"),
        )
    return problems


def check_grant_dates(beschikking: Beschikking, deal: Deal, envelope: Envelope) -> list[Problem]:
    """A beschikking is decided on or after its deal's signing, inside the envelope's period, and
    its spending period ends by the deal's end (its looptijd)."""
    b = beschikking
    what = (f"Beschikking {b.nummer}", f"Beschikking {b.nummer}")
    problems = _not_before(
        "decided_before_signing",
        what,
        b.decided_on,
        deal.signed_on,
        (f"the signing of deal {deal.code}", f"de ondertekening van deal {deal.code}"),
    )
    problems += check_in_envelope(what, b.decided_on, envelope)
    problems += _not_after(
        "spending_past_deal_end",
        (f"The spending period of {b.nummer}", f"De bestedingsperiode van {b.nummer}"),
        b.spending_ends_on,
        deal.ends_on,
        (f"the end of deal {deal.code}", f"het einde van deal {deal.code}"),
    )
    return problems


def check_payment_date(beschikking: Beschikking, on: date) -> list[Problem]:
    return _not_before(
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
    problems = _not_before(
        "extension_before_decision",
        what,
        on,
        beschikking.decided_on,
        ("the beschikking was decided", "het nemen van de beschikking"),
    )
    problems += _not_after(
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
    return _not_before(
        "repayment_before_settlement",
        (f"A repayment on {beschikking.nummer}", f"Een terugbetaling op {beschikking.nummer}"),
        on,
        settled_on,
        ("the vaststelling", "de vaststelling"),
    )


def check_settlement_dates(
    beschikking: Beschikking,
    on: date,
    spending_ends_on: date,
    final_year: int | None,
    last_movement: date | None,
    ambtshalve: str | None,
) -> list[Problem]:
    """Vaststelling comes after the eindverantwoording, or, without one, after the spending
    period ended and as an explicit ambtshalve decision with its reason; and never before a
    payment or spending it settles."""
    n = beschikking.nummer
    what = (f"The vaststelling of {n}", f"De vaststelling van {n}")
    problems = []
    if final_year is None:
        if not ambtshalve or not ambtshalve.strip():
            problems.append(
                problem(
                    "settlement_needs_final",
                    f"Beschikking {n} has no eindverantwoording: a vaststelling waits for it, or is "
                    "taken ambtshalve (after the spending period, with the reason).",
                    f"Beschikking {n} heeft geen eindverantwoording: de vaststelling wacht daarop, of "
                    "wordt ambtshalve genomen (na de bestedingsperiode, met de reden).",
                )
            )
        problems += _not_before(
            "settlement_too_early",
            what,
            on,
            spending_ends_on,
            ("the end of the spending period", "het einde van de bestedingsperiode"),
        )
    if last_movement is not None:
        problems += _not_before(
            "settlement_before_movement",
            what,
            on,
            last_movement,
            ("its last payment or spending", "de laatste betaling of besteding"),
        )
    return problems


# --- corrections through the domain ------------------------------------------------------------


def check_deal_open(deal: Deal, on: date) -> list[Problem]:
    if deal.withdrawn_on is not None:
        return [
            problem(
                "deal_withdrawn",
                f"Convenant {deal.code} was withdrawn on {deal.withdrawn_on}; nothing more is booked on it.",
                f"Convenant {deal.code} is op {deal.withdrawn_on} ingetrokken; er wordt niets meer op geboekt.",
            )
        ]
    return _not_before(
        "before_signing",
        (f"A change of convenant {deal.code}", f"Een wijziging van convenant {deal.code}"),
        on,
        deal.signed_on,
        ("its signing", "de ondertekening"),
    )


def check_deal_amendment(deal: Deal, rijksbijdrage: Money, granted: Money) -> list[Problem]:
    if not rijksbijdrage.is_positive() or rijksbijdrage.currency != "EUR":
        return [
            problem(
                "invalid_amount",
                f"Convenant {deal.code}: the new Rijksbijdrage must be a positive euro amount; to end the deal, withdraw it.",
                f"Convenant {deal.code}: de nieuwe Rijksbijdrage moet een positief bedrag in euro zijn; trek de deal in om hem te beëindigen.",
            )
        ]
    if rijksbijdrage == deal.rijksbijdrage:
        return [
            problem(
                "no_change",
                f"Convenant {deal.code} already has a Rijksbijdrage of {words.money(rijksbijdrage, 'en')}.",
                f"Convenant {deal.code} heeft al een Rijksbijdrage van {words.money(rijksbijdrage)}.",
            )
        ]
    if rijksbijdrage < granted:
        return [
            problem(
                "below_granted",
                f"Convenant {deal.code}: its beschikkingen take {words.money(granted, 'en')}; the Rijksbijdrage cannot go below that "
                "(lower a beschikking first, with a wijzigingsbeschikking).",
                f"Convenant {deal.code}: de beschikkingen nemen {words.money(granted)}; lager dan dat kan de Rijksbijdrage niet "
                "(verlaag eerst een beschikking, met een wijzigingsbeschikking).",
                granted=granted.amount,
            )
        ]
    return []


def check_deal_withdrawal(deal: Deal, granted: Money) -> list[Problem]:
    if granted.is_positive():
        return [
            problem(
                "deal_has_beschikkingen",
                f"Convenant {deal.code} has beschikkingen of {words.money(granted, 'en')}: a deal with grants cannot be withdrawn.",
                f"Convenant {deal.code} heeft beschikkingen van {words.money(granted)}: een deal met beschikkingen kan niet worden ingetrokken.",
            )
        ]
    return []


def check_deal_extension(deal: Deal, new_end: date) -> list[Problem]:
    if new_end <= deal.ends_on:
        return [
            problem(
                "extension_not_later",
                f"Convenant {deal.code}: the new end {new_end} is not after the current end {deal.ends_on}.",
                f"Convenant {deal.code}: het nieuwe einde {new_end} ligt niet na het huidige einde {deal.ends_on}.",
            )
        ]
    return []


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
    problems = _not_before(
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
    beschikking: Beschikking, entry: int, payment: object | None, corrected: bool, on: date
) -> list[Problem]:
    n = beschikking.nummer
    if payment is None:
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
    return _not_before(
        "correction_before_payment",
        (f"The correction of payment {entry}", f"De correctie van betaling {entry}"),
        on,
        payment.effective_on,
        ("the payment", "de betaling"),
    )  # type: ignore[attr-defined]


def check_statement_withdrawal(
    nummer: str, statement: str, row: object | None, final_years: frozenset[int], settled: bool
) -> list[Problem]:
    if row is None:
        return [
            problem(
                "statement_not_found",
                f"Beschikking {nummer} has no booked statement {statement} that still counts.",
                f"Beschikking {nummer} heeft geen geboekte opgave {statement} die nog meetelt.",
            )
        ]
    problems = check_open(nummer, settled, False)
    if final_years:
        problems.append(
            problem(
                "year_final",
                f"Beschikking {nummer} had its eindverantwoording over {max(final_years)}: "
                "its statements are corrected through the SiSa correction procedure.",
                f"Beschikking {nummer} heeft eindverantwoording over {max(final_years)}: de opgaven worden "
                "gecorrigeerd via de SiSa-correctieprocedure.",
            )
        )
    return problems


def check_final_year_correction(
    beschikking: Beschikking,
    year: int,
    final_year: int | None,
    settled: bool,
    amount: Money,
    source: FundingSource,
    partner: str | None,
) -> list[Problem]:
    n = beschikking.nummer
    if final_year is None or year > final_year:
        return [
            problem(
                "not_final",
                f"Beschikking {n} has no eindverantwoording or SiSa submission covering {year}: correct the spending itself "
                "(a correcting booking or a new statement), not through the SiSa procedure.",
                f"Beschikking {n} heeft geen eindverantwoording over {year}: corrigeer de besteding zelf "
                "(een correctieboeking of een nieuwe opgave), niet via de SiSa-procedure.",
            )
        ]
    problems = check_open(n, settled, False)
    if amount.is_zero() or amount.currency != beschikking.amount.currency:
        problems.append(
            problem(
                "invalid_amount",
                f"A correction on {n} is a change above or below zero, in {beschikking.amount.currency}.",
                f"Een correctie op {n} is een wijziging boven of onder nul, in {beschikking.amount.currency}.",
            )
        )
    if source.is_regional and partner is None:
        problems.append(
            problem(
                "partner_missing",
                "Co-financing and in-kind spending name their partner.",
                "Cofinanciering en bijdragen in natura noemen hun partner.",
            )
        )
    return problems


def check_correction_deadline(year: int, deadline: date | None, on: date) -> list[Problem]:
    """After the deadline for corrections of ``year`` a correction is made in a later year's
    figures, not on the year itself (Procedure aanlevering SiSa-verantwoordingsinformatie,
    chapter 3.2)."""
    if deadline is None or on <= deadline:
        return []
    return [
        problem(
            "correction_deadline_passed",
            f"Corrections of {year} could be made on {year} until {deadline}; book this one in "
            f"the open year {on.year}: spending of {on.year} with the amount and its reason.",
            f"Correcties over {year} konden tot en met {deadline} op {year} worden gemaakt; boek "
            f"deze in het open jaar {on.year}: besteding over {on.year} met het bedrag en de reden.",
        )
    ]


def check_correction_deadline_date(year: int, until: date) -> list[Problem]:
    if until.year > year:
        return []
    return [
        problem(
            "invalid_deadline",
            f"A deadline for corrections of {year} falls after {year} ended; {until} does not.",
            f"Een termijn voor correcties over {year} valt na afloop van {year}; {until} niet.",
        )
    ]


# --- the SiSa lifecycle ------------------------------------------------------------------------

REGIONAL_SOURCES = ("cofinanciering_publiek", "cofinanciering_privaat", "in_natura")


def _cumulative(cents: dict[tuple[int, str], int], year: int, sources: tuple[str, ...]) -> int:
    return sum(c for (y, s), c in cents.items() if y <= year and s in sources)


def toelichting_needed(
    granted_cents: int,
    cents: dict[tuple[int, str], int],
    year: int,
    final: bool,
    currency: str = "EUR",
    submitted_before: tuple[int, int] | None = None,
) -> str | None:
    """Why a beschikking's SiSa row of ``year`` needs a toelichting, in words, or None: at
    eindverantwoording when the cumulative Rijk spending differs from the grant, and whenever a
    cumulative figure went down: below the year before as the ledger stands, or below what was
    submitted for the year before (``submitted_before``: its Rijk and regional cumulative, in
    whole units), which a later correction of that year may have lowered."""
    rijk = _cumulative(cents, year, ("rijk",))
    if final and rijk != granted_cents:
        spent, granted = (
            words.money(Money.from_minor_units(c, currency)) for c in (rijk, granted_cents)
        )
        return (
            f"bij eindverantwoording wijkt de cumulatieve besteding ten laste van het Rijk ({spent}) "
            f"af van het beschikte bedrag ({granted})"
        )
    if rijk < _cumulative(cents, year - 1, ("rijk",)) or _cumulative(
        cents, year, REGIONAL_SOURCES
    ) < _cumulative(cents, year - 1, REGIONAL_SOURCES):
        return "een cumulatief bedrag is lager dan over het jaar ervoor"
    if submitted_before is not None and (
        round_half_away_from_zero(rijk, currency) < submitted_before[0]
        or round_half_away_from_zero(_cumulative(cents, year, REGIONAL_SOURCES), currency)
        < submitted_before[1]
    ):
        return (
            "een cumulatief bedrag is lager dan in de ingediende verantwoording over het jaar "
            "ervoor (gecorrigeerd na indiening)"
        )
    return None


def check_toelichting_given(
    nummer: str, year: int, why: str | None, toelichting: str | None
) -> list[Problem]:
    if why is None or (toelichting and toelichting.strip()):
        return []
    return [
        problem(
            "toelichting_required",
            f"Beschikking {nummer}, {year}: a toelichting is required because {why}; give it with the eindverantwoording.",
            f"Beschikking {nummer}, {year}: een toelichting is verplicht omdat {why}; geef die bij de eindverantwoording.",
            why=why,
        )
    ]


def check_regeling_assignment(tranche: str, known: str | None, regeling: str) -> list[Problem]:
    """A tranche follows one regeling; set once, since its beschikkingen's SiSa rows depend on it."""
    if known is None or known == regeling:
        return []
    return [
        problem(
            "regeling_already_set",
            f"Tranche {tranche} already follows regeling {known}; that does not change.",
            f"Tranche {tranche} valt al onder regeling {known}; dat verandert niet.",
            tranche=tranche,
            regeling=known,
        )
    ]


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


def check_not_submitted(nummer: str, year: int, submitted_year: int | None) -> list[Problem]:
    """What a SiSa submission said stands: spending of its year, or of any year before it (its
    cumulative figure holds them), changes only by a correction, never in place."""
    if submitted_year is None or year > submitted_year:
        return []
    return [
        problem(
            "year_submitted",
            f"{year} of {nummer} is in its SiSa submission over {submitted_year}, which stands as "
            "it was handed in: change it with the SiSa correction procedure, dated today "
            f"(POST /api/v1/beschikkingen/{nummer}/sisa-corrections), which the next submission "
            "lists as was / wordt with its reason.",
            f"{year} van {nummer} zit in de SiSa-verantwoording over {submitted_year}, die blijft "
            "zoals ze is ingediend: wijzig het met de SiSa-correctieprocedure, gedateerd vandaag "
            f"(POST /api/v1/beschikkingen/{nummer}/sisa-corrections), die de volgende "
            "verantwoording als was / wordt met de reden toont.",
            year=year,
            submitted_year=submitted_year,
        )
    ]
