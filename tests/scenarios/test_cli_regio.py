"""The Regio Deals commands as a finance officer runs them."""

import json

from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()


def test_demo_report_lists_and_journal(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    demo = runner.invoke(app, ["demo", "--database", url, "--as-of", "2025-06-30"])
    assert demo.exit_code == 0, demo.output
    output = demo.output.replace(
        "\xa0", " "
    )  # Babel separates € and the amount by a no-break space
    assert "€ 384.600.000,00" in output  # tranche 5 after the shift, in Dutch notation
    assert "€ 14.600.000,00" in output  # the unallocated remainder of the 2022-2025 envelope
    assert "1 juni 2023" in output
    assert "illustratief" in output

    report = runner.invoke(
        app, ["report", "tranches", "--database", url, "--as-of", "2023-06-01", "--format", "json"]
    )
    document = json.loads(report.output)
    t6 = next(t for e in document["envelopes"] for t in e["tranches"] if t["code"] == "T6")
    assert t6["budget"] == "216600000.00" and document["ties_out"] is True

    english = runner.invoke(
        app, ["report", "tranches", "--database", url, "--lang", "en", "--as-of", "2025-06-30"]
    )
    assert "Tranche reconciliation as of 30 June 2025" in english.output

    listed = json.loads(
        runner.invoke(app, ["beschikkingen", "list", "--database", url, "--format", "json"]).output
    )
    saba = next(b for b in listed if b["deal"] == "T5-SABA")
    assert (saba["instrument"], saba["currency"], saba["eur_commitment"]) == (
        "BU",
        "USD",
        "5000000.00",
    )
    assert saba["recipient"] == "RK-T5-SABA" and saba["spending_ends_on"] > "2025-12-31"

    deals = json.loads(
        runner.invoke(app, ["deals", "list", "--database", url, "--format", "json"]).output
    )
    assert len([d for d in deals if d["tranche"] == "T4"]) == 14

    journal = json.loads(
        runner.invoke(
            app, ["journal", "--database", url, "--tranche", "T6", "--format", "json"]
        ).output
    )
    assert [e["key"] for e in journal[:2]] == ["demo:allocate:T6", "demo:shift:T6->T5"]
    assert journal[1]["source_document"] == "seed 000_546debeebef38435.txt"


def test_the_reconciliation_workbook_from_the_command_line(tmp_path):
    from openpyxl import load_workbook

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    runner.invoke(app, ["demo", "--database", url, "--as-of", "2025-06-30"])
    out = tmp_path / "aansluiting.xlsx"
    args = ["report", "tranches", "--database", url, "--as-of", "2025-06-30", "--format", "xlsx"]
    missing = runner.invoke(app, args)
    assert missing.exit_code != 0 and "--out" in missing.output
    written = runner.invoke(app, [*args, "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert load_workbook(out).sheetnames[:2] == ["RE-2018", "T3 deals"]
