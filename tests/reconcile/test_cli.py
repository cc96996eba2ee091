"""`regioledger reconcile FILE` on the demo ledger: the outcome printed and kept, the workbook
written, exit 0 only when everything matches; a file that cannot be read is one line and exit
1 with nothing kept."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from api.cli.main import app
from api.reconcile.store import reconciliation_table

runner = CliRunner()
GOOD = (
    "Beschikkingsnummer;Soort;Datum;Bedrag\n"
    "RD-T5-ZWOLLE-II-1;verplichting;01-04-2024;30.000.000,00\n"
    "RD-T5-ZWOLLE-II-1;betaling;01-04-2024;12.000.000,00\n"
    "RD-T5-ZWOLLE-II-1;betaling;15-01-2025;6.000.000,00\n"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('reconcile') / 'demo.db'}"
    assert runner.invoke(app, ["demo", "--database", url]).exit_code == 0
    return url


def kept(url: str) -> int:
    with create_engine(url).connect() as connection:
        return connection.execute(select(func.count()).select_from(reconciliation_table)).scalar()


def test_a_file_that_matches_exits_0_and_is_kept_with_its_workbook(demo, tmp_path):
    record, out = tmp_path / "kas.csv", tmp_path / "aansluiting.xlsx"
    record.write_text(GOOD, encoding="utf-8")
    before = kept(demo)
    result = runner.invoke(
        app, ["reconcile", str(record), "--by", "fo", "--out", str(out), "--database", demo]
    )
    assert result.exit_code == 0, result.output
    assert "klopt 3" in result.output and f"workbook written to {out}" in result.output
    assert kept(demo) == before + 1
    overview = load_workbook(BytesIO(out.read_bytes()))["Overzicht"]
    assert any(row[:2] == ("klopt", 3) for row in overview.iter_rows(values_only=True))


def test_a_difference_exits_1_and_names_the_line(demo, tmp_path):
    record = tmp_path / "kas.csv"
    record.write_text(GOOD.replace("6.000.000,00", "6.000.000,50"), encoding="utf-8")
    result = runner.invoke(
        app, ["reconcile", str(record), "--by", "fo", "--format", "json", "--database", demo]
    )
    assert result.exit_code == 1
    answer = json.loads(result.output)
    assert answer["counts"]["amount_differs"] == 1
    [pair] = [
        p for b in answer["beschikkingen"] for p in b["pairs"] if p["outcome"] == "amount_differs"
    ]
    assert (pair["file"]["line"], pair["difference"]) == (4, "0.50")


def test_a_tranche_as_of_a_date_widens_the_scope(demo, tmp_path):
    record = tmp_path / "kas.csv"
    record.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(
        app,
        ["reconcile", str(record), "--by", "fo", "--tranche", "T5", "--as-of", "2024-12-31"]
        + ["--lang", "en", "--database", demo],
    )
    assert result.exit_code == 1  # the other deals of tranche 5 are only in the ledger
    assert "only in the ledger" in result.output and "RD-T5-ACHTERHOEK-II-1" in result.output
    assert "only in the file" in result.output  # the 2025 payment, after the date asked


def test_an_unreadable_file_is_one_line_and_keeps_nothing(demo, tmp_path):
    record = tmp_path / "kas.csv"
    record.write_bytes(b"\xff\xfe\x00\x01")
    before = kept(demo)
    result = runner.invoke(app, ["reconcile", str(record), "--by", "fo", "--database", demo])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error [not_utf8]:")
    assert "Traceback" not in result.output
    assert kept(demo) == before
