"""The integrity commands as a finance officer runs them on the demo ledger: rules, regelingen,
money added from outside, a DU converted into a SPUK, the annex of a regeling, previews and
submissions, eindverantwoording with its toelichting."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from ledger.db.service import LedgerService
from ledger.regio.model import Instrument

runner = CliRunner()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    assert runner.invoke(app, ["demo", "--database", url]).exit_code == 0
    return url


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_rules_list_says_each_instrument_and_its_basis():
    code, output = run("rules", "list", "--format", "json")
    document = json.loads(output)
    assert code == 0 and [r["instrument"] for r in document["instruments"]] == [
        i.value for i in Instrument
    ]
    code, text = run("rules", "list")
    assert "BU   bijzondere uitkering: openbaar_lichaam_bes; USD" in text


def test_the_demo_knows_its_two_regelingen_and_a_tranche_follows_one(demo):
    code, output = run(
        "regelingen",
        "assign",
        "--tranche",
        "T5",
        "--regeling",
        "RD-T3",
        "--by",
        "fo",
        "--reason",
        "verkeerd",
        "--database",
        demo,
    )
    assert code == 1 and "regeling_already_set" in output
    code, output = run(
        "regelingen",
        "add",
        "--code",
        "RD-BZK",
        "--name",
        "anders",
        "--ministry",
        "BZK",
        "--source",
        "x",
        "--by",
        "fo",
        "--database",
        demo,
    )
    assert code == 1 and "regeling_exists" in output


def test_money_added_from_outside_from_the_command_line(demo):
    before = LedgerService.from_url(demo).balance("tranche:T6:available").balance.amount
    code, output = run(
        "tranches",
        "add",
        "--tranche",
        "T6",
        "--amount",
        "1000000.00",
        "--on",
        "2024-02-01",
        "--by",
        "fo",
        "--reason",
        "overboeking",
        "--source",
        "Kamerbrief",
        "--database",
        demo,
    )
    assert code == 0, output
    assert (
        LedgerService.from_url(demo).balance("tranche:T6:available").balance.amount
        == before + 1000000
    )
    code, output = run(
        "tranches",
        "add",
        "--tranche",
        "T6",
        "--amount",
        "12,5",
        "--on",
        "2024-02-01",
        "--by",
        "fo",
        "--reason",
        "x",
        "--database",
        demo,
    )
    assert code == 2 and "not an amount" in output


def test_a_du_is_converted_from_the_command_line(demo, tmp_path):
    from ledger.regio.db.service import RegioService
    from tests.scenarios.flow import OFFICER, eur, zwolle_beschikking, zwolle_deal

    regio = RegioService(LedgerService.from_url(demo).engine)
    regio.add_from_outside(  # the published tranches are fully committed: room for this deal
        "T5", eur("1000000.00"), on=date(2024, 7, 1), key="cli-room", who=OFFICER
    )
    regio.sign_deal(
        zwolle_deal(code="T5-CLI", pledges=(), rijksbijdrage=eur("1000000.00")),
        key="cli-sign",
        who=OFFICER,
    )
    regio.grant(
        zwolle_beschikking(
            nummer="DU-CLI",
            deal="T5-CLI",
            instrument=Instrument.DU,
            recipient="GM0193",
            amount=eur("1000000.00"),
        ),
        key="cli-du",
        who=OFFICER,
    )
    regio.pay("DU-CLI", eur("400000.00"), on=date(2024, 10, 1), key="cli-pay", who=OFFICER)
    code, output = run(
        "beschikkingen",
        "convert",
        "--beschikking",
        "DU-CLI",
        "--spuk",
        "SPUK-CLI",
        "--on",
        "2025-01-01",
        "--decided-on",
        "2025-01-01",
        "--spending-starts-on",
        "2025-01-01",
        "--spending-ends-on",
        "2027-12-31",
        "--by",
        "fo",
        "--reason",
        "omzetting",
        "--database",
        demo,
    )
    assert code == 0, output
    listed = {
        b["nummer"]: b
        for b in json.loads(run("beschikkingen", "list", "--format", "json", "--database", demo)[1])
    }
    assert (
        listed["DU-CLI"]["converted_to"] == "SPUK-CLI"
        and listed["SPUK-CLI"]["converted_from"] == "DU-CLI"
    )
    assert listed["DU-CLI"]["amount"] == "400000.00" and listed["SPUK-CLI"]["amount"] == "600000.00"


def test_annex_show_and_set_previews_and_a_submission(demo, tmp_path):
    code, output = run(
        "sisa", "annex", "show", "--year", "2026", "--regeling", "RD-BZK", "--database", demo
    )
    annex = json.loads(output)
    assert code == 0 and annex["entered"] is False and annex["regeling"] == "RD-BZK"
    annex |= {
        "code": "RD-BZK-26",
        "name": "Regio Deals BZK 2026",
        "source": "Ingevoerd door Financiën",
    }
    (tmp_path / "annex.json").write_text(json.dumps(annex), encoding="utf-8")
    code, output = run(
        "sisa",
        "annex",
        "set",
        "--year",
        "2026",
        "--regeling",
        "RD-BZK",
        str(tmp_path / "annex.json"),
        "--by",
        "fo",
        "--database",
        demo,
    )
    assert code == 0, output
    broken = {**annex, "indicators": annex["indicators"][:3]}
    (tmp_path / "broken.json").write_text(json.dumps(broken), encoding="utf-8")
    code, output = run(
        "sisa",
        "annex",
        "set",
        "--year",
        "2026",
        "--regeling",
        "RD-BZK",
        str(tmp_path / "broken.json"),
        "--by",
        "fo",
        "--database",
        demo,
    )
    assert code == 1 and "annex_incomplete" in output
    code, output = run(
        "sisa",
        "export",
        "--year",
        "2026",
        "--regeling",
        "RD-BZK",
        "--format",
        "json",
        "--database",
        demo,
    )
    assert code == 0 and json.loads(output)["annex"]["code"] == "RD-BZK-26"
    code, output = run(
        "sisa",
        "submit",
        "--year",
        "2026",
        "--by",
        "fo",
        "--recipient",
        "GM0193",
        "--regeling",
        "RD-BZK",
        "--out",
        str(tmp_path / "sent"),
        "--database",
        demo,
    )
    assert code == 0, output
    assert len(list((tmp_path / "sent").iterdir())) == 1
    code, output = run(
        "sisa",
        "annex",
        "set",
        "--year",
        "2026",
        "--regeling",
        "RD-BZK",
        str(tmp_path / "annex.json"),
        "--by",
        "fo",
        "--database",
        demo,
    )
    assert code == 1 and "annex_in_use" in output


@pytest.mark.today("2029-06-30")  # the whole life, to after the spending period
def test_eindverantwoording_from_the_command_line_needs_its_toelichting_once(demo):
    nummer = "RD-T4-TWENTE-II-1"
    code, output = run(
        "sisa", "final", "--year", "2026", "--beschikking", nummer, "--database", demo
    )
    assert code == 1 and "toelichting_required" in output
    code, output = run(
        "sisa",
        "toelichting",
        "--year",
        "2026",
        "--beschikking",
        nummer,
        "--text",
        "Minder besteed",
        "--database",
        demo,
    )
    assert code == 0, output
    final = ("sisa", "final", "--year", "2026", "--beschikking", nummer, "--key", "eind-2026")
    assert run(*final, "--database", demo)[0] == 0
    assert run(*final, "--database", demo)[0] == 0  # a retry with its key: done once
    code, output = run(*final[:-2], "--database", demo)  # without a key: a new request
    assert code == 1 and "already_final" in output
    code, output = run(
        "sisa", "final", "--year", "2027", "--beschikking", nummer, "--database", demo
    )
    assert code == 1 and "already_final" in output
