"""The SiSa annex definition: code, indicator numbers, texts and Aard controle, kept as data
per regeling and reporting year. A finance officer enters it (``sisa annex set``) until the
first submission of that year; until one is entered, exports follow the shipped default, which
follows the pattern of comparable specifieke uitkeringen: the Regio Deals' own annex texts are
not published in a form we could find. A BU (Caribisch Nederland) is no SiSa at all: it is a
bijzondere uitkering to an openbaar lichaam under artikel 92 of the Wet financiën openbare
lichamen Bonaire, Sint Eustatius en Saba (Wet FinBES), accounted for by its own basis, in US
dollars; its file says so, never "SiSa"."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ledger.errors import Problem
from ledger.said import said

#: What each indicator holds; the annex of a year maps its numbers onto these. The regional
#: money of the year is public and private apart, as the regulations define regionale publieke
#: and regionale private financiering; ``regional_cash_year`` (the two together) is what an
#: annex entered before that split names instead.
FIELDS = (
    "beschikkingsnummer",
    "rijk_year",
    "regional_public_year",
    "regional_private_year",
    "in_kind_year",
    "beschikkingsnummer_copy",
    "rijk_cumulative",
    "regional_cumulative",
    "eindverantwoording",
    "toelichting",
)
SPLIT_CASH = ("regional_public_year", "regional_private_year")
JOINT_CASH = "regional_cash_year"
KNOWN_FIELDS = (*FIELDS, JOINT_CASH)
AMOUNT_FIELDS = (
    "rijk_year",
    "regional_public_year",
    "regional_private_year",
    "regional_cash_year",
    "in_kind_year",
    "rijk_cumulative",
    "regional_cumulative",
)


@dataclass(frozen=True)
class Indicator:
    number: str  # "01"
    text: str
    aard_controle: str  # "R" or "n.v.t."
    field: str


@dataclass(frozen=True)
class Annex:
    year: int
    code: str
    name: str
    source: str
    indicators: tuple[Indicator, ...]
    regeling: str | None = None
    instrument: str = "SPUK"
    entered: bool = False  # set by a finance officer (True), or the shipped default

    def number_of(self, field: str) -> str:
        return next(i.number for i in self.indicators if i.field == field)

    @property
    def currency(self) -> str:
        """SiSa reports in euros; a BU is set, and accounted for, in US dollars."""
        return "USD" if self.instrument == "BU" else "EUR"

    @property
    def title(self) -> str:
        """What the accountability is called, by its basis: SiSa for a specifieke uitkering
        (Financiële-verhoudingswet art. 17a), the Wet FinBES for a BU."""
        if self.instrument == "BU":
            return "Verantwoording bijzondere uitkering (Wet FinBES, art. 92)"
        return "SiSa-bijlage"

    @property
    def kind(self) -> str:
        """The words the annex's heading uses for what is accounted for."""
        return "bijzondere uitkering" if self.instrument == "BU" else "specifieke uitkering"

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "regeling": self.regeling,
            "instrument": self.instrument,
            "code": self.code,
            "name": self.name,
            "title": self.title,
            "source": self.source,
            "entered": self.entered,
            "indicators": [
                {
                    "number": i.number,
                    "text": i.text,
                    "aard_controle": i.aard_controle,
                    "field": i.field,
                }
                for i in self.indicators
            ],
        }


DEFAULT_INDICATORS = (
    Indicator("01", "Beschikkingsnummer", "n.v.t.", "beschikkingsnummer"),
    Indicator("02", "Besteding (jaar T) ten laste van rijksmiddelen", "R", "rijk_year"),
    Indicator(
        "03",
        "Besteding (jaar T) ten laste van regionale publieke financiering (geld)",
        "R",
        "regional_public_year",
    ),
    Indicator(
        "04",
        "Besteding (jaar T) ten laste van regionale private financiering (geld)",
        "R",
        "regional_private_year",
    ),
    Indicator("05", "Waarde bijdragen in natura (jaar T)", "R", "in_kind_year"),
    Indicator("06", "Kopie beschikkingsnummer", "n.v.t.", "beschikkingsnummer_copy"),
    Indicator(
        "07",
        "Cumulatieve besteding ten laste van rijksmiddelen t/m jaar T",
        "n.v.t.",
        "rijk_cumulative",
    ),
    Indicator(
        "08",
        "Cumulatieve regionale financiering (publiek, privaat en in natura) t/m jaar T",
        "n.v.t.",
        "regional_cumulative",
    ),
    Indicator("09", "Eindverantwoording Ja/Nee", "n.v.t.", "eindverantwoording"),
    Indicator("10", "Toelichting afwijking", "n.v.t.", "toelichting"),
)


DEFAULT_SOURCE = (
    "Standaarddefinitie van regioledger, nog niet door Financiën vastgelegd: naar het patroon van "
    "vergelijkbare specifieke uitkeringen (Financiële-verhoudingswet art. 17a; Regeling "
    "informatieverstrekking sisa); de eigen bijlage van de regeling is niet gepubliceerd."
)
BU_SOURCE = (
    "Standaarddefinitie van regioledger, nog niet door het ministerie vastgelegd: de verantwoording "
    "van de bijzondere uitkering door het openbaar lichaam (Wet financiën openbare lichamen "
    "Bonaire, Sint Eustatius en Saba, art. 92), in US dollars; geen SiSa."
)


def default_annex(year: int, regeling: str | None = None, instrument: str = "SPUK") -> Annex:
    if instrument == "BU":
        return Annex(
            year,
            f"{regeling or 'RD'}-BES",
            "Regio Deals Caribisch Nederland (bijzondere uitkering)",
            BU_SOURCE,
            DEFAULT_INDICATORS,
            regeling,
            "BU",
        )
    return Annex(
        year,
        regeling or "RD",
        "Regio Deals (specifieke uitkering)",
        DEFAULT_SOURCE,
        DEFAULT_INDICATORS,
        regeling,
        "SPUK",
    )


def check_annex(annex: Annex) -> list[Problem]:
    """An annex an export can follow: every field exactly once, every number once, two digits."""
    problems = []
    fields = Counter(i.field for i in annex.indicators)
    numbers = Counter(i.number for i in annex.indicators)
    wanted = [*FIELDS] if fields[JOINT_CASH] == 0 else [f for f in FIELDS if f not in SPLIT_CASH]
    if fields[JOINT_CASH] and any(fields[f] for f in SPLIT_CASH):
        wanted.append(f"{JOINT_CASH} or {' and '.join(SPLIT_CASH)}, not both")
    missing = [f for f in wanted if fields[f] == 0]
    twice = sorted(
        {f for f, n in fields.items() if n > 1}
        | {f"nummer {n}" for n, c in numbers.items() if c > 1}
    )
    unknown = sorted(f for f in fields if f not in KNOWN_FIELDS)
    if missing:
        problems.append(
            Problem.of(
                "annex_incomplete",
                said("The annex names no indicator for: {names}.", names=", ".join(missing)),
                details={"missing": missing},
            )
        )
    if twice:
        problems.append(
            Problem.of(
                "annex_duplicate",
                said("The annex names these twice: {names}.", names=", ".join(twice)),
                details={"duplicate": twice},
            )
        )
    if unknown:
        problems.append(
            Problem.of(
                "annex_unknown_field",
                said(
                    "Unknown fields: {unknown}; known: {known}.",
                    unknown=", ".join(unknown),
                    known=", ".join(FIELDS),
                ),
                details={"unknown": unknown},
            )
        )
    if bad := sorted(
        i.number
        for i in annex.indicators
        if not (len(i.number) == 2 and i.number.isascii() and i.number.isdigit())
    ):
        problems.append(
            Problem.of(
                "annex_number",
                said(
                    "Indicator numbers are two digits (01-99), not {names}.", names=", ".join(bad)
                ),
            )
        )
    return problems
