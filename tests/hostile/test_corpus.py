"""The hostile corpus against the command line and the API: each file and request gets a clear
refusal (exit 1 with a problem code, or a 4xx problem), memory stays bounded, and nothing is
booked."""

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from ledger.db.regio import RegioService
from ledger.db.service import LedgerService
from ledger.db.users import add_user
from tests.hostile.corpus import FILENAMES, FILES, NUMMER, REQUESTS
from tests.scenarios.flow import (
    zwolle_world,
)

REGIOLEDGER = str(Path(sys.executable).parent / "regioledger")
MEMORY_LIMIT_MB = 600
PROBLEM = "application/problem+json"


@pytest.fixture
def world(ledger: LedgerService):
    zwolle_world(RegioService(ledger.engine), paid="10000000.00")
    return ledger


def books(ledger: LedgerService) -> tuple[int, str]:
    report = ledger.verify()
    assert report.ok
    return report.entries_checked, report.last_hash


@pytest.fixture
def api(world, database_url):
    tokens = {
        "finance": add_user(world.engine, "fo", "finance"),
        "region": add_user(world.engine, "zwolle", "region", "GM-ZWOLLE"),
    }
    with TestClient(create_app(database_url), raise_server_exceptions=False) as client:
        yield client, {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}


def test_every_hostile_file_is_refused_by_the_command_line_in_bounded_memory(
    world, database_url, tmp_path
):
    before = books(world)
    for name, (make, code) in FILES.items():
        file = tmp_path / "opgave.xlsx"
        file.write_bytes(make())
        done = subprocess.run([REGIOLEDGER, "statement", "import", str(file), "--beschikking", NUMMER, "--year", "2025",
                               "--database", database_url, "--format", "json"], capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 1, (name, done.stdout[-500:], done.stderr[-500:])
        assert '"code"' in done.stdout and "Traceback" not in done.stderr, name
        if code != "*":
            assert f'"{code}"' in done.stdout, (name, done.stdout[-800:])
        assert books(world) == before, name
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < MEMORY_LIMIT_MB, f"a child process peaked at {peak_mb:.0f} MB"


def test_every_hostile_file_is_refused_by_the_api(world, api):
    client, headers = api
    before = books(world)
    for name, (make, code) in FILES.items():
        response = client.post(f"/api/v1/beschikkingen/{NUMMER}/statements", params={"year": 2025},
                               files={"file": ("opgave.xlsx", make(), "application/octet-stream")}, headers=headers["region"])  # fmt: skip
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
        assert response.headers["content-type"] == PROBLEM and "Traceback" not in response.text, (
            name
        )
        if code != "*":
            assert code in {p["code"] for p in response.json()["problems"]} | {
                response.json()["code"]
            }, (name, response.text[:500])
        assert books(world) == before, name
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < 1500, f"the test process peaked at {peak_mb:.0f} MB"  # no bomb was expanded


def test_every_hostile_request_is_refused_with_a_problem(world, api):
    client, headers = api
    before = books(world)
    for name, (method, path, body) in REQUESTS.items():
        sent = {"content": body, "headers": {**headers["finance"], "Content-Type": "application/json"}} if isinstance(body, str) \
            else {"json": body, "headers": headers["finance"]}  # fmt: skip
        response = getattr(client, method)(path, **sent)
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
        assert response.headers["content-type"] == PROBLEM and "Traceback" not in response.text, (
            name
        )
        assert books(world) == before, name


def test_path_like_file_names_are_only_names(world, api, tmp_path):
    from tests.statements.builders import openpyxl_workbook

    client, headers = api
    content = openpyxl_workbook(
        [
            [
                NUMMER,
                __import__("datetime").date(2025, 3, 1),
                "Factuur",
                "Rijk",
                10.0,
                None,
                "A",
                "F1",
            ]
        ]
    )
    for number, filename in enumerate(FILENAMES):
        response = client.post(f"/api/v1/beschikkingen/{NUMMER}/statements", params={"year": 2025},
                               files={"file": (filename, content + bytes(number), "application/octet-stream")}, headers=headers["region"])  # fmt: skip
        assert response.status_code in (200, 201, 400, 422), (
            filename[:40],
            response.status_code,
            response.text[:300],
        )
        assert "Traceback" not in response.text
    assert (
        not (tmp_path / "etc").exists() and Path("/etc/passwd").read_text()
    )  # nothing was written anywhere by name
    assert world.verify().ok
