"""The rules per instrument and tranche, as data (``regioledger rules list``, ``GET /rules``):
recipients, currency and accountability per instrument; the co-financing ratio per tranche; the
Rijksbijdrage bounds; each with its basis."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ledger.money import Money
from ledger.regio.model import (
    Instrument,
    OrganisationType,
)


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
