"""The accountant's fouten en onzekerheden, on SQLite and PostgreSQL: recorded over HTTP by an
auditor (a region may not), refused with a reason when they name no figure, no amount or a year
not yet over, kept append-only, and shown in the year's export in their own table (a sheet of
the workbook, ``findings`` in JSON) as the books stood at each moment."""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from api.app import create_app
from api.http.users import add_user
from ledger.db.journal import utc_now
from ledger.db.service import LedgerService
from ledger.regio.db.service import RegioService
from ledger.regio.model import FundingSource as Source
from sisa.service import export_sisa, export_sisa_year
from tests.scenarios.flow import OFFICER, eur, zwolle_world

NUMMER = "RD-2024-001"
FINDING = {
    "beschikking": NUMMER,
    "indicator": "rijk_year",
    "kind": "fout",
    "amount": "12500.40",
    "toelichting": "Factuur F7 valt buiten de looptijd van het project.",
}


@pytest.fixture
def world(ledger: LedgerService, database_url: str):
    regio = RegioService(ledger.engine)
    zwolle_world(regio, paid="6000000.00")
    regio.record_spending(
        NUMMER, 2025, Source.RIJK, eur("2000000.00"), on=date(2025, 6, 1), key="s", who=OFFICER
    )
    tokens = {role: add_user(ledger.engine, role, role) for role in ("auditor", "finance")}
    tokens["region"] = add_user(ledger.engine, "zwolle", "region", "GM-ZWOLLE")
    with TestClient(create_app(database_url)) as client:
        yield client, {r: {"Authorization": f"Bearer {t}"} for r, t in tokens.items()}


def test_an_auditor_records_a_fout_and_the_export_shows_it_in_its_own_table(world, ledger):
    client, headers = world
    _, before = export_sisa(ledger.engine, 2025, "json")
    moment = utc_now()
    recorded = client.post("/api/v1/sisa/2025/findings", json=FINDING, headers=headers["auditor"])
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["kind"], recorded.json()["amount"]) == ("fout", "12500.40")
    content, export = export_sisa(ledger.engine, 2025, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Fouten en onzekerheden"]
    assert [c.value for c in sheet[2]] == [
        1,
        f"{export.annex.code}/02",
        NUMMER,
        "fout",
        12500,  # whole euros, as every SiSa figure
        FINDING["toelichting"],
    ]
    document = json.loads(export_sisa(ledger.engine, 2025, "json")[0])
    [shown] = document["findings"]
    assert (shown["Beschikkingsnummer"], shown["Bedrag"]) == (NUMMER, 12500)
    assert export.figures() == before.figures()  # a finding changes no figure
    year_content, _ = export_sisa_year(ledger.engine, 2025, "xlsx")  # one block: as one export
    assert "Fouten en onzekerheden" in openpyxl.load_workbook(io.BytesIO(year_content)).sheetnames
    then, _ = export_sisa(ledger.engine, 2025, "json", recorded_as_of=moment)
    assert json.loads(then)["findings"] == []  # as the books stood before it


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"indicator": "toelichting"}, None),  # not an amount: refused by the schema (422)
        ({"amount": "0.00"}, None),
        ({"beschikking": "RD-NOPE"}, "beschikking_not_found"),
        ({"toelichting": "   "}, "toelichting_missing"),
    ],
)
def test_a_finding_that_names_no_figure_no_amount_or_no_beschikking_is_refused(
    world, ledger, change, code
):
    client, headers = world
    answer = client.post(
        "/api/v1/sisa/2025/findings", json={**FINDING, **change}, headers=headers["auditor"]
    )
    assert answer.status_code in (404, 409, 422), answer.text
    if code is not None:
        assert answer.json()["code"] == code
    assert export_sisa(ledger.engine, 2025, "json")[1].findings == []


def test_a_finding_waits_for_the_year_to_end_and_a_region_records_none(world, ledger):
    client, headers = world
    early = client.post("/api/v1/sisa/2026/findings", json=FINDING, headers=headers["auditor"])
    assert early.status_code == 409 and early.json()["code"] == "year_not_ended"
    region = client.post("/api/v1/sisa/2025/findings", json=FINDING, headers=headers["region"])
    assert region.status_code == 403


def test_a_finding_is_never_changed(world, ledger):
    client, headers = world
    client.post("/api/v1/sisa/2025/findings", json=FINDING, headers=headers["finance"])
    for statement in ("UPDATE sisa_finding SET amount = 1", "DELETE FROM sisa_finding"):
        with pytest.raises(DBAPIError), ledger.engine.begin() as connection:
            connection.execute(text(statement))
    assert len(export_sisa(ledger.engine, 2025, "json")[1].findings) == 1


def test_the_command_line_records_a_finding_and_refuses_a_bad_one_in_one_line(
    world, ledger, database_url
):
    from typer.testing import CliRunner

    from api.cli.main import app

    def run(*extra: str):  # noqa: ANN202
        options = [
            *("sisa", "finding", "--year", "2025", "--beschikking", NUMMER),
            *("--indicator", "in_kind_year", "--amount", "250.00", "--by", "accountant"),
            *("--toelichting", "uren niet onderbouwd", "--database", database_url),
        ]
        return CliRunner().invoke(app, [*options, *extra])

    bad = run("--kind", "misschien")
    assert bad.exit_code == 1 and "error [invalid_kind]" in bad.output
    assert "Traceback" not in bad.output
    good = run("--kind", "onzekerheid")
    assert good.exit_code == 0, good.output
    [kept] = export_sisa(ledger.engine, 2025, "json")[1].findings
    assert (kept.kind, kept.field, kept.actor) == ("onzekerheid", "in_kind_year", "accountant")
