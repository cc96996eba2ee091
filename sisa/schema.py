"""The pandera schema an export must pass, before it is written and again on the file read
back. Hidden columns carry what the rules are checked against: the cumulative figures
recomputed from the journal's postings (a second path), the instrument, the final year and
whether a toelichting is required."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from sisa.annex import AMOUNT_FIELDS

VISIBLE = (
    "recipient",
    "beschikkingsnummer",
    "rijk_year",
    "regional_public_year",
    "regional_private_year",
    "regional_cash_year",
    "in_kind_year",
    "beschikkingsnummer_copy",
    "rijk_cumulative",
    "regional_cumulative",
    "eindverantwoording",
    "toelichting",
)
HIDDEN = (
    "instrument",
    "journal_rijk_cumulative",
    "journal_regional_cumulative",
    "final_year",
    "toelichting_required",
)


@dataclass(frozen=True)
class ExportProblem:
    code: str
    nummer: str | None
    message: str
    recipient: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "beschikking": self.nummer,
            "recipient": self.recipient,
            "message": self.message,
        }


MESSAGES = {
    "negative_amount": "een bedrag is negatief",
    "not_whole_euros": "een bedrag is geen geheel aantal euro's",
    "copy_mismatch": "de kopie van het beschikkingsnummer (/05) wijkt af van /01",
    "missing_nummer": "het beschikkingsnummer ontbreekt",
    "duplicate_row": "de beschikking staat meer dan eens in de bijlage",
    "cumulative_mismatch": "het cumulatieve bedrag is niet de som van de jaren in het journaal",
    "invalid_eindverantwoording": "eindverantwoording is niet Ja of Nee",
    "toelichting_missing": "een toelichting is verplicht (afwijking van het beschikte bedrag of een lager cumulatief bedrag)",
    "wrong_instrument": "alleen specifieke uitkeringen (SPUK) horen in deze bijlage",
    "row_after_final": "na de eindverantwoording hoort er geen regel meer te zijn",
    "file_differs": "het geschreven bestand toont andere cijfers dan berekend",
}


def export_schema(year: int, instrument: str) -> pa.DataFrameSchema:
    amounts = {
        # required=False: an annex shows the year's regional cash apart or together
        name: pa.Column(
            int,
            [pa.Check(lambda s: s >= 0, name="negative_amount")],
            coerce=False,
            required=False,
        )
        for name in AMOUNT_FIELDS
    }
    return pa.DataFrameSchema(
        {
            "beschikkingsnummer": pa.Column(
                str, pa.Check(lambda s: s.str.len() > 0, name="missing_nummer")
            ),
            "beschikkingsnummer_copy": pa.Column(str),
            "eindverantwoording": pa.Column(
                str, pa.Check(lambda s: s.isin(["Ja", "Nee"]), name="invalid_eindverantwoording")
            ),
            "toelichting": pa.Column(str),
            "instrument": pa.Column(
                str, pa.Check(lambda s: s == instrument, name="wrong_instrument")
            ),
            **amounts,
        },
        checks=[
            pa.Check(
                lambda df: df["beschikkingsnummer"] == df["beschikkingsnummer_copy"],
                name="copy_mismatch",
            ),
            pa.Check(
                lambda df: ~df.duplicated(["recipient", "beschikkingsnummer"], keep=False),
                name="duplicate_row",
            ),
            pa.Check(
                lambda df: (
                    (df["rijk_cumulative"] == df["journal_rijk_cumulative"])
                    & (df["regional_cumulative"] == df["journal_regional_cumulative"])
                ),
                name="cumulative_mismatch",
            ),
            pa.Check(
                lambda df: (
                    ~df["toelichting_required"] | (df["toelichting"].str.strip().str.len() > 0)
                ),
                name="toelichting_missing",
            ),
            pa.Check(
                lambda df: df["final_year"].isna() | (df["final_year"] >= year),
                name="row_after_final",
            ),
        ],
        strict=False,
    )


def check_export(frame: pd.DataFrame, year: int, instrument: str) -> list[ExportProblem]:
    """Every problem of the rows, lazily; empty when the export may be written."""
    if frame.empty:
        return []
    try:
        export_schema(year, instrument).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _problems(errors.failure_cases, frame)
    return []


def _problems(cases: pd.DataFrame, frame: pd.DataFrame) -> list[ExportProblem]:
    found: dict[tuple[str, str | None], ExportProblem] = {}
    for case in cases.itertuples(index=False):
        code = str(case.check)
        if code not in MESSAGES:
            code = "not_whole_euros" if "int" in code else code
        index = case.index
        nummer = (
            str(frame.loc[index, "beschikkingsnummer"])
            if index is not None and not pd.isna(index) and index in frame.index
            else None
        )
        found[(code, nummer)] = ExportProblem(code, nummer, MESSAGES.get(code, code))
    return list(found.values())
