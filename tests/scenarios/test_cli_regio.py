"""The Regio Deals commands as a finance officer runs them."""

import json

from typer.testing import CliRunner

from api.cli.main import app

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
    assert saba["recipient"] == "OL-SABA" and saba["spending_ends_on"] > "2025-12-31"

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
    assert journal[1]["source_document"] == (  # cited as a reader can follow it
        "Kamerbrief 'Voortgangsrapportage Regio Deals 2022', Minister van BZK H.G.J. Bruins "
        "Slot, 3 juli 2023, kenmerk 2023-0000392211"
    )


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
    assert load_workbook(out).sheetnames[:4] == ["RE-2018", "T1 deals", "T2 deals", "T3 deals"]


def test_the_deal_report_and_the_charts_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    runner.invoke(app, ["demo", "--database", url, "--as-of", "2025-06-30"])
    document = runner.invoke(app, ["report", "deal", "T4-TWENTE-II", "--database", url])
    assert document.exit_code == 0 and '"rijksbijdrage": "25000000.00"' in document.output
    page = tmp_path / "twente.html"
    assert (
        runner.invoke(
            app,
            [
                "report",
                "deal",
                "T4-TWENTE-II",
                "--database",
                url,
                "--format",
                "html",
                "--out",
                str(page),
            ],
        ).exit_code
        == 0
    )
    assert "€\xa025.000.000,00" in page.read_text(encoding="utf-8")  # Babel: a non-breaking space
    unknown = runner.invoke(app, ["report", "deal", "NOPE", "--database", url])
    assert unknown.exit_code != 0 and "deals list" in unknown.output
    charts = runner.invoke(
        app, ["report", "charts", "--database", url, "--out", str(tmp_path / "charts")]
    )
    assert charts.exit_code == 0, charts.output
    names = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert names == [
        "cofinancing.png",
        "spending.png",
        "waterfall-RE-2018.png",
        "waterfall-RE-2022.png",
    ]
    assert all((tmp_path / "charts" / n).read_bytes().startswith(b"\x89PNG") for n in names)
