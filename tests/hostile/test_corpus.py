"""The hostile corpus against the command line and the API: each file and request gets a clear
refusal (exit 1 with a problem code, or a 4xx problem), memory stays bounded, and nothing is
booked."""

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.http.users import add_user
from ledger.db.service import LedgerService
from ledger.regio.db.service import RegioService
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


@pytest.mark.heavy
def test_every_hostile_file_is_refused_by_the_command_line_in_bounded_memory(
    world, database_url, tmp_path
):
    before = books(world)
    for name, (make, code) in FILES.items():
        file = tmp_path / "opgave.xlsx"
        file.write_bytes(make())
        command = [
            REGIOLEDGER,
            "statement",
            "import",
            str(file),
            "--beschikking",
            NUMMER,
            "--year",
            "2025",
            "--database",
            database_url,
            "--format",
            "json",
        ]
        status, stdout, stderr, peak_mb = run_measured(command, tmp_path)
        assert status == 1, (name, stdout[-500:], stderr[-500:])
        assert '"code"' in stdout and "Traceback" not in stderr, name
        if code != "*":
            assert f'"{code}"' in stdout, (name, stdout[-800:])
        assert peak_mb < MEMORY_LIMIT_MB, f"{name}: the command peaked at {peak_mb:.0f} MB"
        assert books(world) == before, name


def own_memory_mb(field: str) -> float:
    """This process's resident memory now (``VmRSS``) or at its peak (``VmHWM``), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        return int(next(line.split()[1] for line in status if line.startswith(field))) / 1024


def test_every_hostile_file_is_refused_by_the_api(world, api):
    client, headers = api
    before = books(world)
    # The peak is this run's own: reset it (Linux: 5 > clear_refs) and measure the growth from
    # here, not the peak of every test this long pytest process ran before.
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")
    start_mb = own_memory_mb("VmRSS")
    for name, (make, code) in FILES.items():
        response = client.post(
            f"/api/v1/beschikkingen/{NUMMER}/statements",
            params={"year": 2025},
            files={"file": ("opgave.xlsx", make(), "application/octet-stream")},
            headers=headers["region"],
        )
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
        assert response.headers["content-type"] == PROBLEM and "Traceback" not in response.text, (
            name
        )
        if code != "*":
            assert code in {p["code"] for p in response.json()["problems"]} | {
                response.json()["code"]
            }, (name, response.text[:500])
        assert books(world) == before, name
    grown_mb = own_memory_mb("VmHWM") - start_mb
    assert grown_mb < 500, f"the corpus grew the process by {grown_mb:.0f} MB"  # no bomb expanded


def test_every_hostile_request_is_refused_with_a_problem(world, api):
    client, headers = api
    before = books(world)
    for name, hostile in REQUESTS.items():
        sent: dict[str, object] = {"headers": {**headers.get(hostile.role, {}), **hostile.headers}}
        if hostile.content is not None:
            sent["content"] = hostile.content
        elif hostile.body is not None:
            sent["json"] = hostile.body
        response = client.request(hostile.method.upper(), hostile.path, **sent)
        assert response.status_code == hostile.status, (
            name,
            response.status_code,
            response.text[:300],
        )
        assert response.headers["content-type"] == PROBLEM and "Traceback" not in response.text, (
            name
        )
        assert response.json()["code"], name  # a stable code, always
        if hostile.status == 405:
            assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}, name
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
        response = client.post(
            f"/api/v1/beschikkingen/{NUMMER}/statements",
            params={"year": 2025},
            files={"file": (filename, content + bytes(number), "application/octet-stream")},
            headers=headers["region"],
        )
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


#: Runs the regioledger script in this fresh process and writes its peak resident memory
#: (VmHWM, which starts afresh at exec) to a file. ru_maxrss is no measure here: some kernels
#: and sandboxes carry the forking pytest's peak into a child's figures.
LAUNCHER = (
    "import runpy, sys\n"
    "def peak_kb():\n"
    "    status = open('/proc/self/status').read().splitlines()\n"
    "    return next(line.split()[1] for line in status if line.startswith('VmHWM'))\n"
    "peak_file, sys.argv = sys.argv[1], sys.argv[2:]\n"
    "try:\n"
    "    runpy.run_path(sys.argv[0], run_name='__main__')\n"
    "finally:\n"
    "    open(peak_file, 'w').write(peak_kb())\n"
)


def run_measured(command: list[str], folder: Path) -> tuple[int, str, str, float]:
    """Run a regioledger command: its exit status, its output, and its peak resident memory in MB."""
    assert command[0] == REGIOLEDGER
    peak = folder / "peak-kb.txt"
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(peak), *command],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stdout, done.stderr, int(peak.read_text()) / 1024


SPARSE = [
    name for name in FILES if "XFD" in name or "J1048576" in name or "name no reference" in name
]
HEADROOM_MB = 300


def peak_mb_of(command: list[str], folder: Path) -> tuple[int, float]:
    status, _, _, peak_mb = run_measured(command, folder)
    return status, peak_mb


def server_peak_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return (
        int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
        / 1024
    )


def test_sparse_sheets_cost_the_command_line_no_memory(world, database_url, tmp_path):
    """Each sparse sheet is refused (exit 1, too_many_cells) by a process that stays within
    300 MB of what a two-line statement costs the same command."""
    from tests.statements.builders import GOOD_ROWS, openpyxl_workbook

    def run(content: bytes) -> tuple[int, float]:
        file = tmp_path / "opgave.xlsx"
        file.write_bytes(content)
        return peak_mb_of(
            [
                REGIOLEDGER,
                "statement",
                "import",
                str(file),
                "--beschikking",
                NUMMER,
                "--year",
                "2025",
                "--database",
                database_url,
            ],
            tmp_path,
        )

    _, idle = run(openpyxl_workbook(GOOD_ROWS[:2]))
    for name in SPARSE:
        status, peak = run(FILES[name][0]())
        assert status == 1, name
        assert peak < idle + HEADROOM_MB, f"{name}: {peak:.0f} MB against {idle:.0f} MB idle"


def test_sparse_sheets_leave_the_server_up_and_within_its_memory(world, database_url):
    from tests import server
    from tests.statements.builders import GOOD_ROWS, openpyxl_workbook

    token = add_user(world.engine, "zwolle", "region", "GM-ZWOLLE")
    process, base = server.start(database_url)
    try:

        def upload(content: bytes):  # noqa: ANN202
            return httpx.post(
                f"{base}/api/v1/beschikkingen/{NUMMER}/statements",
                params={"year": 2025},
                timeout=60,
                files={"file": ("opgave.xlsx", content)},
                headers={"Authorization": f"Bearer {token}"},
            )

        assert upload(openpyxl_workbook(GOOD_ROWS)).status_code == 201
        idle = server_peak_mb(process.pid)
        for name in SPARSE:
            response = upload(FILES[name][0]())
            assert (response.status_code, response.json()["code"]) == (422, "too_many_cells"), name
            assert httpx.get(f"{base}/healthz").status_code == 200, name  # still up
        assert server_peak_mb(process.pid) < idle + HEADROOM_MB
    finally:
        server.stop(process)
