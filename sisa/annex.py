"""The SiSa annex definition: code, indicator numbers, texts and Aard controle, kept as data
per reporting year. The shipped default follows comparable SPUKs (the Regio Deals' own
annex texts are not published in a form we could find: ../shared/docs/sisa-format.md)."""

from __future__ import annotations

from dataclasses import dataclass

#: What each indicator holds; the annex of a year maps its numbers onto these.
FIELDS = (
    "beschikkingsnummer", "rijk_year", "regional_cash_year", "in_kind_year", "beschikkingsnummer_copy",
    "rijk_cumulative", "regional_cumulative", "eindverantwoording", "toelichting",
)  # fmt: skip
AMOUNT_FIELDS = (
    "rijk_year",
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

    def number_of(self, field: str) -> str:
        return next(i.number for i in self.indicators if i.field == field)


DEFAULT_INDICATORS = (
    Indicator("01", "Beschikkingsnummer", "n.v.t.", "beschikkingsnummer"),
    Indicator("02", "Besteding (jaar T) ten laste van rijksmiddelen", "R", "rijk_year"),
    Indicator(
        "03",
        "Besteding (jaar T) ten laste van regionale financiering (geld)",
        "R",
        "regional_cash_year",
    ),
    Indicator("04", "Waarde bijdragen in natura (jaar T)", "R", "in_kind_year"),
    Indicator("05", "Kopie beschikkingsnummer", "n.v.t.", "beschikkingsnummer_copy"),
    Indicator(
        "06",
        "Cumulatieve besteding ten laste van rijksmiddelen t/m jaar T",
        "n.v.t.",
        "rijk_cumulative",
    ),
    Indicator(
        "07",
        "Cumulatieve regionale financiering (geld en in natura) t/m jaar T",
        "n.v.t.",
        "regional_cumulative",
    ),
    Indicator("08", "Eindverantwoording Ja/Nee", "n.v.t.", "eindverantwoording"),
    Indicator("09", "Toelichting afwijking", "n.v.t.", "toelichting"),
)


def default_annex(year: int) -> Annex:
    return Annex(
        year=year,
        code="RD",
        name="Regio Deals (specifieke uitkering)",
        source="standaarddefinitie regioledger naar het patroon van vergelijkbare SPUK's (../shared/docs/sisa-format.md)",
        indicators=DEFAULT_INDICATORS,
    )
