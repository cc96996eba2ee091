"""The SiSa schema refuses every kind of wrong row (pure, no database)."""

import pandas as pd
import pytest

from sisa.export import row_frame
from sisa.figures import BeschikkingInput, sisa_row, sisa_rows
from sisa.schema import check_export

GRANT = 3_000_000_000


def beschikking(**changes) -> BeschikkingInput:
    values = dict(
        nummer="B-1",
        recipient="GM-A",
        instrument="SPUK",
        granted_cents=GRANT,
        decided_year=2024,
        cents={(2024, "rijk"): 100_000_049, (2025, "rijk"): 50, (2025, "in_natura"): 150},
    )
    values.update(changes)
    return BeschikkingInput(**values)


def frame_for(rows, **hidden_changes) -> pd.DataFrame:
    hidden = {
        r.nummer: {
            "instrument": "SPUK",
            "journal_rijk_cumulative": r.rijk_cumulative,
            "journal_regional_cumulative": r.regional_cumulative,
            "final_year": pd.NA,
            "toelichting_required": r.toelichting_required,
            **hidden_changes,
        }
        for r in rows
    }
    return row_frame(rows, hidden)


def test_rounding_is_per_figure_from_cents():
    row = sisa_row(beschikking(), 2025)
    assert (row.rijk_year, row.in_kind_year, row.rijk_cumulative, row.regional_cumulative) == (
        1,
        2,
        1_000_001,
        2,
    )


def test_a_sound_export_has_no_problems():
    assert check_export(frame_for(sisa_rows([beschikking()], 2025)), 2025, "SPUK") == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda f: f.assign(beschikkingsnummer_copy="B-2"), "copy_mismatch"),
        (lambda f: pd.concat([f, f]), "duplicate_row"),
        (
            lambda f: f.assign(journal_rijk_cumulative=f["journal_rijk_cumulative"] + 1),
            "cumulative_mismatch",
        ),
        (lambda f: f.assign(instrument="DU"), "wrong_instrument"),
        (lambda f: f.assign(final_year=2024), "row_after_final"),
        (lambda f: f.assign(toelichting_required=True), "toelichting_missing"),
        (lambda f: f.assign(rijk_year=-1), "negative_amount"),
        (lambda f: f.assign(eindverantwoording="Misschien"), "invalid_eindverantwoording"),
    ],
)
def test_each_broken_rule_is_reported(change, code):
    broken = change(frame_for(sisa_rows([beschikking()], 2025))).reset_index(drop=True)
    assert code in {p.code for p in check_export(broken, 2025, "SPUK")}


def test_a_lower_cumulative_figure_requires_a_toelichting():
    corrected = beschikking(cents={(2024, "rijk"): 500, (2025, "rijk"): -100})
    assert sisa_row(corrected, 2025).toelichting_required


def test_the_final_row_needs_a_toelichting_only_when_it_differs_from_the_grant():
    exact = beschikking(cents={(2024, "rijk"): GRANT}, final_year=2024)
    assert not sisa_row(exact, 2024).toelichting_required
    assert sisa_row(beschikking(final_year=2025), 2025).toelichting_required


def test_du_and_finished_beschikkingen_have_no_row():
    inputs = [
        beschikking(nummer="DU-1", instrument="DU"),
        beschikking(nummer="B-2", final_year=2024),
        beschikking(),
    ]
    assert [r.nummer for r in sisa_rows(inputs, 2025)] == ["B-1"]


def test_an_annex_shows_the_years_regional_cash_public_and_private_apart_or_together():
    """The shipped annex shows public and private apart; an annex entered before that split
    names the two together (``regional_cash_year``); never both, never one half alone."""
    from dataclasses import replace

    from sisa.annex import DEFAULT_INDICATORS, Indicator, check_annex, default_annex

    split = default_annex(2025, "RD-BZK")
    assert check_annex(split) == []
    assert [i.field for i in split.indicators][2:4] == [
        "regional_public_year",
        "regional_private_year",
    ]
    joint = tuple(
        Indicator(i.number, i.text, i.aard_controle, "regional_cash_year")
        if i.field == "regional_public_year"
        else i
        for i in DEFAULT_INDICATORS
        if i.field != "regional_private_year"
    )
    assert check_annex(replace(split, indicators=joint)) == []
    both = (*DEFAULT_INDICATORS, Indicator("11", "Regionaal geld", "R", "regional_cash_year"))
    assert [p.code for p in check_annex(replace(split, indicators=both))] == ["annex_incomplete"]
    half = tuple(i for i in DEFAULT_INDICATORS if i.field != "regional_private_year")
    [problem] = check_annex(replace(split, indicators=half))
    assert problem.code == "annex_incomplete" and "regional_private_year" in problem.message
