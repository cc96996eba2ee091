"""A region's round trip on the command line: template, fill in, upload with mistakes, get
them back in its own workbook, fix, upload again."""

import json

import openpyxl
from typer.testing import CliRunner

from api.cli.main import app

runner = CliRunner()


def test_template_mistakes_fix_and_book(regio, ledger, tmp_path):
    url = ledger.engine.url.render_as_string(hide_password=False)
    template = tmp_path / "opgave.xlsx"
    made = runner.invoke(
        app,
        [
            "statement",
            "template",
            "--beschikking",
            "RD-2024-001",
            "--year",
            "2025",
            "--out",
            str(template),
            "--database",
            url,
        ],
    )
    assert made.exit_code == 0, made.output
    workbook = openpyxl.load_workbook(template)
    sheet = workbook["Bestedingen"]
    sheet["B5"], sheet["C5"], sheet["D5"], sheet["E5"] = (
        "01-03-2025",
        "Eerste factuur",
        "Rijk",
        "1.000,00",
    )
    sheet["B6"], sheet["C6"], sheet["D6"], sheet["E6"] = (
        "01-03-2025",
        "Bijdrage",
        "Cofinanciering publiek",
        "250,00",
    )
    workbook.save(template)

    errors = tmp_path / "fouten.xlsx"
    refused = runner.invoke(
        app,
        [
            "statement",
            "import",
            str(template),
            "--beschikking",
            "RD-2024-001",
            "--year",
            "2025",
            "--as",
            "GM-ZWOLLE",
            "--errors-out",
            str(errors),
            "--format",
            "json",
            "--database",
            url,
        ],
    )
    assert refused.exit_code == 1
    answer = json.loads(refused.output)
    assert [(p["code"], p["cell"]) for p in answer["problems"]] == [("partner_missing", "F6")]
    marked = openpyxl.load_workbook(errors)
    assert marked["Bestedingen"]["F6"].comment is not None

    sheet["F6"] = "Provincie Overijssel"
    workbook.save(template)
    booked = runner.invoke(
        app,
        [
            "statement",
            "import",
            str(template),
            "--beschikking",
            "RD-2024-001",
            "--year",
            "2025",
            "--as",
            "GM-ZWOLLE",
            "--database",
            url,
        ],
    )
    assert booked.exit_code == 0, booked.output
    assert "2 lines" in booked.output
    assert ledger.balance("beschikking:RD-2024-001:spent:2025:rijk").balance.amount == 1000
