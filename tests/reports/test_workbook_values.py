"""The workbooks open with their numbers: on the demo ledger, read the way pandas and preview
panes read them (openpyxl's values mode, no recalculation), every cell of the tranche
reconciliation and of each deal's voortgang equals the JSON answer's figure, every formula
carries its value, headers stay in view, amount columns are wide enough and sheet names read in
full; then LibreOffice (Debian's package), made to recalculate every formula on load from a copy
without the stored values, comes to the same figures. Without LibreOffice the last test fails
in CI and is skipped on a developer's machine."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api.demo import load_demo
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.regio.db.service import RegioService
from ledger.regio.db.snapshot import deal_statement_spending, load_snapshot
from reports.deal_report import build_deal_progress
from reports.deal_workbook import deal_workbook
from reports.messages import LABELS, PAGES
from reports.reconciliation import build_tranche_reconciliation
from reports.render import FIGURES, to_json
from reports.workbook import reconciliation_workbook

AS_OF = date(2025, 6, 30)
SOFFICE = shutil.which("soffice")
CENT = Decimal("0.01")


@pytest.fixture
def books(ledger: LedgerService, tmp_path) -> dict:
    load_demo(RegioService(ledger.engine))
    with UnitOfWork(ledger.engine) as uow:
        snapshot = load_snapshot(uow.connection, AS_OF)
        reconciliation = build_tranche_reconciliation(snapshot)
        deal = max(reconciliation.deals, key=lambda d: d.spent_rijk.amount).deal.code
        lines = deal_statement_spending(uow.connection, snapshot, deal, None)
    progress = build_deal_progress(snapshot, deal, lines)
    return {
        "tranches": (
            reconciliation_workbook(reconciliation, "nl"),
            json.loads(to_json(reconciliation)),
        ),
        "deal": (deal_workbook(progress, "nl"), progress.as_dict()),
    }


def values(content: bytes):  # noqa: ANN201 - a workbook
    return load_workbook(BytesIO(content), data_only=True)


def number(value: object) -> Decimal:
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return Decimal(str(value))


def money(value: object) -> Decimal:
    return number(value).quantize(CENT)


def test_every_cell_of_the_tranche_workbook_is_the_json_answers_figure(books):
    content, answer = books["tranches"]
    book, formulas = values(content), load_workbook(BytesIO(content))
    for envelope in answer["envelopes"]:
        sheet = book[envelope["code"]]
        assert sheet.freeze_panes == "A11"  # the tranche table's header stays in view
        assert [money(sheet[f"B{r}"].value) for r in (5, 6, 8, 9)] == [
            Decimal(envelope["amount"]),
            Decimal(envelope["allocated"]),
            Decimal(envelope["unallocated"]),
            Decimal(0),  # the control, a formula, with its value
        ]
        for row, tranche in enumerate(envelope["tranches"], start=11):
            figures = [money(sheet.cell(row, c).value) for c in range(2, 2 + len(FIGURES))]
            assert figures == [Decimal(tranche[f]) for f in FIGURES], tranche["code"]
            assert money(sheet.cell(row, len(FIGURES) + 3).value) == 0  # the row's controls
            assert money(sheet.cell(row, len(FIGURES) + 4).value) == 0
        total = 11 + len(envelope["tranches"])
        for column, name in enumerate(FIGURES, start=2):
            expected = sum((Decimal(t[name]) for t in envelope["tranches"]), Decimal(0))
            assert money(sheet.cell(total, column).value) == expected, name
        for tranche in envelope["tranches"]:
            deals = book[f"{tranche['code']} deals"]
            assert deals.freeze_panes == "A4"
            mine = [d for d in answer["deals"] if d["tranche"] == tranche["code"]]
            for row, deal in enumerate(mine, start=4):
                names = ["rijksbijdrage", "granted", "paid", "spent_rijk", "cofinancing_cash"]
                names += ["in_kind", "pledged_regional"]
                got = [money(deals.cell(row, c).value) for c in range(3, 10)]
                assert got == [Decimal(deal[n]) for n in names], deal["code"]
                ratio = number(deals.cell(row, 10).value).quantize(CENT)
                assert ratio == Decimal(deal["pledged_ratio"]), deal["code"]
    published = book[LABELS["nl"]["differences_sheet"]]
    for row, difference in enumerate(answer["differences"], start=2):
        assert [money(published.cell(row, c).value) for c in (3, 4, 5)] == [
            Decimal(difference[k]) for k in ("published", "ledger", "difference")
        ]
    every_formula_has_its_value(formulas, book)
    widths_fit(book)


def every_formula_has_its_value(formulas, book) -> int:  # noqa: ANN001
    counted = 0
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    counted += 1
                    assert book[sheet.title][cell.coordinate].value is not None, cell.coordinate
    assert counted > 0
    return counted


def widths_fit(book) -> None:  # noqa: ANN001
    """Every amount column is wide enough for its widest amount in the euro format."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if "€" in cell.number_format and isinstance(cell.value, int | float):
                    shown = f"€ {cell.value:,.2f}"
                    width = next(
                        d.width
                        for d in sheet.column_dimensions.values()
                        if d.min <= cell.column <= d.max
                    )
                    assert width >= len(shown), (sheet.title, cell.coordinate, width, shown)


def test_the_deal_workbook_holds_every_table_of_its_page_and_never_adds_in_kind_to_money(books):
    content, answer = books["deal"]
    book, page = values(content), PAGES["nl"]
    assert answer["spent_by_programme_line"] and answer["partners"] and answer["spent_by_project"]
    assert book.sheetnames == [
        answer["code"],
        page["sheet_by_year"],
        page["sheet_by_line"],
        page["sheet_by_project"],
        page["sheet_partners"],
        page["beschikkingen"],
    ]
    figures = book[answer["code"]]
    names = ["rijksbijdrage", "granted", "paid", "spent_rijk", "cofinancing_cash", "in_kind"]
    names += ["pledged_regional", "outside_rijk_after_end", "open_recovery"]
    assert [money(figures[f"B{r}"].value) for r in range(4, 13)] == [
        Decimal(answer[n]) for n in names
    ]
    assert number(figures["B13"].value).quantize(CENT) == Decimal(answer["multiplier"])
    by_year = book[page["sheet_by_year"]]
    assert by_year.freeze_panes == "A2"
    for row, (year, spent) in enumerate(answer["spent_by_year"].items(), start=2):
        assert by_year.cell(row, 1).value == int(year)
        cash = [Decimal(spent.get(s, "0")) for s in ("rijk", "cofinanciering_publiek")]
        cash.append(Decimal(spent.get("cofinanciering_privaat", "0")))
        assert [money(by_year.cell(row, c).value) for c in (2, 3, 4)] == cash
        assert money(by_year.cell(row, 5).value) == sum(cash, Decimal(0))  # money only
        assert money(by_year.cell(row, 6).value) == Decimal(spent.get("in_natura", "0"))
    lines = book[page["sheet_by_line"]]
    for row, line in enumerate(answer["spent_by_programme_line"], start=2):
        assert (lines.cell(row, 1).value, lines.cell(row, 2).value) == (
            line["year"],
            line["programme_line"],
        )
        assert money(lines.cell(row, 3).value) == Decimal(line.get("rijk", "0"))
    projects = book[page["sheet_by_project"]]
    got = [projects.cell(r, 1).value for r in range(2, 2 + len(answer["spent_by_project"]))]
    assert got == [p["project"] for p in answer["spent_by_project"]]
    partners = book[page["sheet_partners"]]
    for row, partner in enumerate(answer["partners"], start=2):
        assert partners.cell(row, 1).value == partner["name"]
        assert money(partners.cell(row, 2).value) == Decimal(partner["pledged"])
        assert money(partners.cell(row, 3).value) == Decimal(partner["realised"])
    granted = book[page["beschikkingen"]]
    got = [granted.cell(r, 1).value for r in range(2, 2 + len(answer["beschikkingen"]))]
    assert got == answer["beschikkingen"]
    every_formula_has_its_value(load_workbook(BytesIO(content)), book)
    widths_fit(book)


def without_stored_values(content: bytes) -> bytes:
    """The workbook with every formula's stored value taken out: only a recalculation can
    bring the figures back."""
    source, out = zipfile.ZipFile(BytesIO(content)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", data)
            target.writestr(item, data)
    return out.getvalue()


RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculated(contents: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """Each workbook as LibreOffice saves it after recalculating every formula on load."""
    profile = folder / "profile" / "user"
    profile.mkdir(parents=True)
    (profile / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD, encoding="utf-8")
    inputs = []
    for name, content in contents.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(without_stored_values(content))
        inputs.append(str(path))
    out = folder / "out"
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            *inputs,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {name: (out / f"{name}.xlsx").read_bytes() for name in contents}


def test_libreoffice_recalculates_every_formula_to_the_same_figures(books, tmp_path):
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI needs LibreOffice (.ci/run installs libreoffice-calc-nogui).")
        pytest.skip("LibreOffice is not installed (the recalculation test runs in CI)")
    contents = {name: content for name, (content, _) in books.items()}
    again = recalculated(contents, tmp_path)
    for name, content in contents.items():
        formulas, ours = load_workbook(BytesIO(content)), values(content)
        theirs = values(again[name])
        compared = 0
        for sheet in formulas.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                        continue
                    mine = ours[sheet.title][cell.coordinate].value
                    computed = theirs[sheet.title][cell.coordinate].value
                    if mine in ("", None):
                        assert computed in ("", None), (name, cell.coordinate, computed)
                    else:
                        assert abs(number(computed) - number(mine)) < Decimal("0.000001"), (
                            name,
                            sheet.title,
                            cell.coordinate,
                            cell.value,
                            mine,
                            computed,
                        )
                    compared += 1
        assert compared > 0, name
