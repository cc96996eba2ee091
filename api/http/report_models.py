"""The JSON forms of the tranche reconciliation and a deal's voortgang, typed for the schema and
for clients (``reports.render.to_json`` and ``reports.deal_report.DealProgress.as_dict`` write
them; ``tests/api/test_report_models.py`` holds them to these models on the demo ledger). Money
travels as strings, as everywhere in the API; ratios too."""

from __future__ import annotations

from pydantic import Field, create_model

from api.http.public import Day, Public
from reports.render import FIGURES

Money = str  # "1234.50"


class TrancheChangePublic(Public):
    """One change of a tranche's budget: a shift, an addition, a set-aside, ..."""

    effective_on: Day
    kind: str
    from_tranche: str | None
    to_tranche: str | None
    amount: Money
    entry: int | None
    memo: str | None
    reason: str | None
    source_document: str | None


class ControlPublic(Public):
    """A control: a difference that must be zero, and whether it is."""

    name: str
    difference: Money
    ties_out: bool


_TrancheFigures = create_model(  # one field per figure of the reconciliation, as FIGURES names
    "_TrancheFigures", __base__=Public, **{name: (Money, ...) for name in FIGURES}
)


class TrancheFiguresPublic(_TrancheFigures):  # type: ignore[misc, valid-type]
    """A tranche's figures (``reports.render.FIGURES``), its history and its controls."""

    code: str
    name: str
    available: Money
    history: list[TrancheChangePublic]
    controls: list[ControlPublic]


class EnvelopeFiguresPublic(Public):
    code: str
    name: str
    amount: Money
    allocated: Money
    unallocated: Money
    tranches: list[TrancheFiguresPublic]
    controls: list[ControlPublic]


class DifferencePublic(Public):
    """A published figure against the ledger's: the difference, and whether it is explained."""

    kind: str
    key: str
    name: str
    source: str
    published_on: Day
    dated: bool
    published: Money
    ledger: Money
    difference: Money
    status: str
    reason: str | None
    open: bool
    entries: list[int]
    other_sources: list[str]


class DealFiguresPublic(Public):
    code: str
    name: str
    tranche: str
    rijksbijdrage: Money
    granted: Money
    paid: Money
    spent_rijk: Money
    cofinancing_cash: Money
    in_kind: Money
    pledged_regional: Money
    pledged_ratio: str
    shortfall: bool
    realised_ratio: str | None
    realised_shortfall: bool | None
    cofinancing_exception: str | None


class TrancheReportPublic(Public):
    """The tranche reconciliation (docs: reconciliation-format)."""

    as_of: Day
    currency: str
    ties_out: bool
    illustrative_data: bool
    envelopes: list[EnvelopeFiguresPublic]
    differences: list[DifferencePublic]
    deals: list[DealFiguresPublic]


class BySourcePublic(Public):
    """Money spent per financing source (only the sources that have any)."""

    rijk: Money | None = None
    cofinanciering_publiek: Money | None = None
    cofinanciering_privaat: Money | None = None
    in_natura: Money | None = None


class ProgrammeLineSpendingPublic(BySourcePublic):
    year: int
    programme_line: str


class ProjectSpendingPublic(BySourcePublic):
    project: str


class PartnerPublic(Public):
    name: str
    pledged: Money
    realised: Money
    realised_per_pledged: str | None


class DealProgressPublic(Public):
    """A deal's voortgang: granted, paid, spending by year, source, programme line, project and
    partner, co-financing against the Rijk's share (the multiplier), open terugvordering."""

    code: str
    name: str
    tranche: str
    as_of: Day
    rijksbijdrage: Money
    granted: Money
    paid: Money
    spent_rijk: Money
    cofinancing_cash: Money
    in_kind: Money
    pledged_regional: Money
    multiplier: str | None
    open_recovery: Money
    programme_lines: list[str]
    spent_by_year: dict[str, BySourcePublic] = Field(description="Per year (as a string)")
    beschikkingen: list[str]
    citation: str | None
    cofinancing_ratio: str | None
    realised_shortfall: bool | None
    multiplier_total: str | None
    multiplier_private: str | None
    outside_rijk_after_end: Money
    spent_by_programme_line: list[ProgrammeLineSpendingPublic]
    spent_by_project: list[ProjectSpendingPublic]
    partners: list[PartnerPublic]
