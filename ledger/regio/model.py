"""The Regio Deals' objects as plain values. Dutch names where the users speak Dutch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ledger.money import Money


class Instrument(StrEnum):
    SPUK = "SPUK"  # specifieke uitkering: accounted for in SiSa
    DU = "DU"  # decentralisatie-uitkering: general funds, no SiSa, no vaststelling
    BU = "BU"  # bijzondere uitkering, Caribisch Nederland: set in US dollars
    DO = "DO"  # departementale overboeking: to another ministry's budget, no SiSa


#: The purpose code of envelope money set aside for the programme's own costs (uitvoeringskosten).
PROGRAMME_COSTS = "UITVOERINGSKOSTEN"


class OrganisationType(StrEnum):
    GEMEENTE = "gemeente"
    PROVINCIE = "provincie"
    WGR = "wgr"  # a body under the Wet gemeenschappelijke regelingen
    OPENBAAR_LICHAAM_BES = "openbaar_lichaam_bes"
    WATERSCHAP = "waterschap"
    RIJK = "rijk"  # a ministry or another Rijk body
    PUBLIEK = "publiek"  # other public partners
    PRIVAAT = "privaat"


class FundingSource(StrEnum):
    """The financing source of spending (Financieringsbron in the statements)."""

    RIJK = "rijk"
    COFINANCIERING_PUBLIEK = "cofinanciering_publiek"
    COFINANCIERING_PRIVAAT = "cofinanciering_privaat"
    IN_NATURA = "in_natura"

    @property
    def is_regional(self) -> bool:
        return self is not FundingSource.RIJK


class PledgeKind(StrEnum):
    CASH = "cash"
    IN_KIND = "in_kind"


class BudgetChangeKind(StrEnum):
    """How budget moves through the tranches' flow (``budget_change``)."""

    FUND = "fund"  # an envelope funded
    ALLOCATE = "allocate"  # envelope money allocated to a tranche
    SHIFT = "shift"  # budget moved between tranches of one envelope
    ADD = "add"  # money added to a tranche from outside its envelope
    RESERVE = "reserve"  # tranche money reserved for a purpose inside it


class BudgetEventKind(StrEnum):
    """Budget events outside the tranches' flow (``budget_event``)."""

    SET_ASIDE = "set_aside"  # envelope money for a purpose that is no deal
    ARTICLE_TRANSFER = "article_transfer"  # between budget articles; moves no envelope money
    RESERVE_RELEASE = "reserve_release"  # a reservation's unused part back to its tranche


class EventKind(StrEnum):
    """What happens to a beschikking (``beschikking_event``)."""

    GRANT = "grant"
    PAYMENT = "payment"
    SPENDING = "spending"
    SETTLEMENT = "settlement"
    REPAYMENT = "repayment"
    EXTENSION = "extension"
    RELEASE = "release"
    FINAL = "final"
    TOELICHTING = "toelichting"


class AmendmentKind(StrEnum):
    """Corrections and changes made through the domain (``amendment``), each its own kind."""

    DEAL_AMENDMENT = "deal_amendment"  # a convenant's Rijksbijdrage changed (amount: the change)
    DEAL_WITHDRAWAL = "deal_withdrawal"  # a convenant withdrawn before anything was granted
    DEAL_EXTENSION = "deal_extension"  # a convenant's looptijd extended; no money moves
    BESCHIKKING_AMENDMENT = "beschikking_amendment"  # a wijzigingsbeschikking
    PAYMENT_CORRECTION = "payment_correction"  # a payment booked wrongly, reversed
    STATEMENT_WITHDRAWAL = "statement_withdrawal"  # a statement withdrawn: its lines stop counting
    SISA_CORRECTION = "sisa_correction"  # spending of a final year corrected through SiSa


class BeschikkingStatus(StrEnum):
    """Where a beschikking stands: open, its eindverantwoording made (final), settled
    (vastgesteld), or converted into a SPUK (a DU's remainder)."""

    OPEN = "open"
    FINAL = "final"
    SETTLED = "settled"
    CONVERTED = "converted"


class StatementStatus(StrEnum):
    """Where a spending statement stands: it counts (booked), was replaced by a later one or
    withdrawn, or was refused with its problems (kept, so the region can download them)."""

    BOOKED = "booked"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"


class SisaStatus(StrEnum):
    """Where a beschikking's SiSa accounting stands for a year."""

    FINAL = "final"  # the eindverantwoording is made
    REPORTED = "reported"  # spending is reported for the year
    MISSING = "missing"  # the year is due and nothing is reported
    CLOSED = "closed"  # settled, or after the final year: nothing more is due
    NOT_DUE = "not_due"  # outside the spending period, or the year is not over yet


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    type: OrganisationType


@dataclass(frozen=True)
class Envelope:
    code: str
    name: str
    amount: Money
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Tranche:
    code: str
    envelope: str
    name: str


@dataclass(frozen=True)
class Reservation:
    code: str
    tranche: str
    name: str


@dataclass(frozen=True)
class Pledge:
    """A partner's co-financing promise in a deal."""

    partner: str
    kind: PledgeKind
    amount: Money
    private: bool = False  # from a private partner (read back from the partner's organisation type)


@dataclass(frozen=True)
class Deal:
    """A convenant: signing commits the Rijksbijdrage from the tranche (or its reservation)."""

    code: str
    name: str
    tranche: str
    rijksbijdrage: Money
    signed_on: date
    ends_on: date
    reservation: str | None = None
    programme_lines: tuple[str, ...] = ()
    pledges: tuple[Pledge, ...] = ()
    cofinancing_exception: str | None = None  # why the 1:1 rule does not apply, if it does not
    withdrawn_on: date | None = None  # a convenant withdrawn before anything was granted


@dataclass(frozen=True)
class Beschikking:
    """A grant decision. ``amount`` is in the grant's currency; a USD BU also records the
    EUR it commits and the rate (USD per EUR) that links the two."""

    nummer: str
    deal: str
    instrument: Instrument
    recipient: str
    amount: Money
    decided_on: date
    spending_starts_on: date
    spending_ends_on: date
    eur_commitment: Money | None = None
    usd_per_eur: Decimal | None = None
    converted_from: str | None = None
    regeling: str | None = None  # asked at the grant; else the tranche's (``beschikking_regeling``)

    @property
    def eur_amount(self) -> Money:
        return self.eur_commitment if self.eur_commitment is not None else self.amount


@dataclass(frozen=True)
class SpukTerms:
    """What a DU's conversion asks of the new SPUK itself; its deal, recipient, amount (the DU's
    unpaid remainder) and link come from the DU."""

    nummer: str
    decided_on: date
    spending_starts_on: date
    spending_ends_on: date
    regeling: str | None = None

    def of(self, du: Beschikking, remaining: Money) -> Beschikking:
        return Beschikking(
            self.nummer,
            du.deal,
            Instrument.SPUK,
            du.recipient,
            remaining,
            self.decided_on,
            self.spending_starts_on,
            self.spending_ends_on,
            converted_from=du.nummer,
            regeling=self.regeling,
        )


@dataclass(frozen=True)
class Who:
    """Every write says who did it and why, and where that is written down."""

    actor: str
    reason: str
    source_document: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
