"""The doors that last round's attacker and clumsy user still found open, each shut and kept
shut here: a revoked token opens no session, a stray quote hides no line of the ministry's
record, every intake is bounded, a replacement is confirmed inside its own transaction, codes
are one record whatever their letter case, integers are plain digits, the command line never
shows a traceback, the schema says what an upload is, and the hosts and forms are checked."""

from __future__ import annotations

import contextlib
import json
import re
import tracemalloc
from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from api.app import create_app
from api.http.hosts import allowed_hosts, hosts_for
from api.http.problems import CSV, XLSX
from api.http.users import add_user, revoke, rotate
from api.reconcile.reader import MAX_LINES, MAX_PROBLEMS, read_record
from api.reconcile.service import Scope, reconcile_record
from api.reconcile.store import reconciliation_table
from api.statements.service import import_statement
from api.web import portal
from ledger.db.service import LedgerService
from ledger.db.unit_of_work import UnitOfWork
from ledger.errors import LedgerError
from ledger.regio.db import rows as regio_rows
from ledger.regio.db.history import statements
from ledger.regio.db.service import RegioService
from ledger.regio.model import Organisation, OrganisationType
from tests import server
from tests.hostile.test_corpus import server_peak_mb
from tests.hostile.test_races import at_once
from tests.scenarios.flow import OFFICER, zwolle_beschikking, zwolle_world
from tests.statements.builders import openpyxl_workbook

HERE = {"Origin": "http://testserver"}


@pytest.fixture
def world(ledger: LedgerService):
    zwolle_world(RegioService(ledger.engine), paid="10000000.00")
    return ledger


@pytest.fixture
def client(world, database_url):
    with TestClient(create_app(database_url), raise_server_exceptions=False) as client:
        yield client


def _sign_in(client: TestClient, token: str):
    return client.post(
        "/dashboard/signin", data={"token": token}, headers=HERE, follow_redirects=False
    )


# --- 1. a revoked or rotated token opens no session --------------------------------------------


@pytest.mark.parametrize("ending", ["revoke", "rotate"])
def test_a_token_revoked_while_the_api_cache_holds_it_opens_no_session(world, client, ending):
    token = add_user(world.engine, "clerk", "auditor")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/journal/verify", headers=bearer).status_code == 200  # now cached
    if ending == "revoke":
        revoke(world.engine, "clerk", actor="security officer")
    else:
        rotate(world.engine, "clerk", actor="security officer")
    refused = _sign_in(client, token)
    assert refused.status_code == 401 and "regioledger_session" not in refused.cookies


@pytest.mark.parametrize("ending", ["revoke", "rotate"])
def test_a_session_ends_the_moment_its_users_tokens_are_revoked(world, client, ending):
    token = add_user(world.engine, "clerk", "auditor")
    assert _sign_in(client, token).status_code == 303
    assert client.get("/dashboard", follow_redirects=False).status_code == 200
    if ending == "revoke":
        revoke(world.engine, "clerk", actor="security officer")
    else:
        rotate(world.engine, "clerk", actor="security officer")
    gone = client.get("/dashboard", follow_redirects=False)
    assert gone.status_code == 303 and "/dashboard/signin" in gone.headers["location"]


# --- 2. a stray quote hides no line of the ministry's record ------------------------------------

MINISTRY = (
    "Beschikkingsnummer;Soort;Datum;Bedrag;Kenmerk;Omschrijving\n"
    "RD-2024-001;verplichting;01-09-2024;30.000.000,00;K-1;beschikking\n"
    "RD-2024-001;betaling;15-09-2024;10.000.000,00;K-2;{omschrijving}\n"
    "RD-2024-001;betaling;01-10-2024;2.500.000,00;K-3;tweede voorschot\n"
)


def test_a_stray_quote_is_reported_and_the_lines_after_it_are_still_read():
    record = read_record(MINISTRY.format(omschrijving='"eerste voorschot').encode())
    assert [(p.line, p.code) for p in record.problems] == [(3, "unbalanced_quote")]
    assert [line.line for line in record.lines] == [2, 4]  # the €2.5M payment is not swallowed
    assert (record.lines_in_file, record.lines_read) == (4, 3)


def test_a_line_break_inside_a_cell_is_a_problem_of_each_line_it_spans():
    content = MINISTRY.format(omschrijving='"eerste\nvoorschot"').encode()
    record = read_record(content)
    assert record.lines_in_file == 5 == content.count(b"\n")
    assert [(p.line, p.code) for p in record.problems] == [
        (3, "unbalanced_quote"),
        (4, "unbalanced_quote"),
    ]
    assert [line.line for line in record.lines] == [2, 5]


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_every_line_ending_counts_each_physical_line(ending):
    content = MINISTRY.format(omschrijving="eerste voorschot").replace("\n", ending).encode()
    record = read_record(content)
    assert (record.lines_in_file, len(record.lines), record.problems) == (4, 3, [])


def test_the_stray_quote_makes_the_reconciliation_say_what_is_missing(
    world, database_url, tmp_path
):
    """Over the command line and the API alike: the €2.5M payment the ledger lacks is only in
    the file, the quoted line is a problem, and nothing says 'everything matches'."""
    from api.cli.main import app

    file = tmp_path / "kas.csv"
    file.write_text(MINISTRY.format(omschrijving='"eerste voorschot'), encoding="utf-8")
    ran = CliRunner().invoke(
        app, ["reconcile", str(file), "--by", "fo", "--format", "json", "--database", database_url]
    )
    assert ran.exit_code == 1, ran.output
    answer = json.loads(ran.output)
    assert answer["counts"]["only_in_file"] == 1 and answer["problem_count"] == 1
    assert answer["lines_in_file"] == 4
    token = add_user(world.engine, "fo", "finance")
    with TestClient(create_app(database_url), raise_server_exceptions=False) as client:
        posted = client.post(
            "/api/v1/reconciliations",
            files={"file": ("kas.csv", file.read_bytes(), "text/csv")},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert posted.status_code == 201, posted.text
    assert posted.json()["counts"]["only_in_file"] == 1
    assert [p["code"] for p in posted.json()["problems"]] == ["unbalanced_quote"]


# --- 3. the reconciliation intake is bounded in memory and in what it keeps --------------------


def _peak_bytes(read) -> int:
    tracemalloc.start()
    with contextlib.suppress(LedgerError):
        read()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_a_file_of_newlines_is_refused_at_the_line_cap_without_becoming_rows():
    content = b"Beschikkingsnummer;Soort;Datum;Bedrag\n" + b"\n" * (8 * 1024 * 1024)
    with pytest.raises(LedgerError) as refused:
        read_record(content)
    assert refused.value.code == "too_many_lines" and "200,000" in str(refused.value)
    assert _peak_bytes(lambda: read_record(content)) < 5 * 1024 * 1024


def test_empty_excel_rows_cost_no_more_than_their_size():
    content = ("Beschikkingsnummer;Soort;Datum;Bedrag\n" + ";" * 200 + "\n").encode() + (
        ";" * 60 + "\n"
    ).encode() * 190_000
    record = read_record(content)
    assert (record.lines_in_file, record.lines, record.problems) == (190_002, [], [])
    assert _peak_bytes(lambda: read_record(content)) < len(content)


def test_failing_lines_keep_the_first_thousand_problems_and_count_them_all(world, database_url):
    bad = "RD-2024-001;uitgave;01-09-2024;100,00\n" * 199_000
    content = ("Beschikkingsnummer;Soort;Datum;Bedrag\n" + bad).encode()
    record = read_record(content)
    assert (record.problem_count, record.lines_read, len(record.problems)) == (
        199_000,
        199_000,
        MAX_PROBLEMS,
    )
    with UnitOfWork(world.engine, write=True) as uow:
        kept = reconcile_record(uow.connection, record, content, "kas.csv", "fo", Scope())
        uow.commit()
    assert kept.answer["problem_count"] == 199_000 and len(kept.answer["problems"]) == 1_000
    with world.engine.connect() as connection:
        stored = connection.execute(select(func.length(reconciliation_table.c.answer))).scalar()
    assert stored < 1024 * 1024  # not 92 MB


#: Hostile records of 25 MB: lines that all fail (the answer lists 1,000 problems and counts the
#: rest), rows of Excel's empty cells, and newlines past the line cap.
HOSTILE_RECORDS = {
    "failing lines": "Beschikkingsnummer;Soort;Datum;Bedrag;Omschrijving\n"
    + ("RD-2024-001;uitgave;01-09-2024;100,00;" + "x" * 86 + "\n") * (MAX_LINES - 1),
    "empty cells": "Beschikkingsnummer;Soort;Datum;Bedrag\n" + (";" * 124 + "\n") * (MAX_LINES - 1),
    "newlines": "Beschikkingsnummer;Soort;Datum;Bedrag\n" + "\n" * (25 * 1024 * 1024 - 64),
    # Good lines, each a payment the ledger does not have: the answer holds every one of them.
    "good lines": "Beschikkingsnummer;Soort;Datum;Bedrag;Kenmerk;Omschrijving\n"
    + "".join(
        f"RD-2024-001;betaling;{1 + n % 28:02}-09-2024;{n % 99_999 + 1},00;K-{n};"
        + f"voorschot {n} ".ljust(74, "x")
        + "\n"
        for n in range(MAX_LINES - 1)
    ),
}


def test_a_25_mb_record_keeps_the_server_within_300_mb_of_idle(world, database_url):
    """Measured as the hostile corpus measures: the server's peak resident memory (VmHWM) after
    each file, against its peak after a small one. A file of good lines is the largest answer
    (every line a pair, about 60 MB of JSON, kept and answered without a copy per line)."""
    token = add_user(world.engine, "fo", "finance")
    process, base = server.start(database_url)
    try:
        headers = {"Authorization": f"Bearer {token}"}

        def post(content: str):  # noqa: ANN202
            return httpx.post(
                f"{base}/api/v1/reconciliations",
                files={"file": ("kas.csv", content.encode(), "text/csv")},
                headers=headers,
                timeout=300,
            )

        assert post(MINISTRY.format(omschrijving="x")).status_code == 201
        idle = server_peak_mb(process.pid)
        for name, content in HOSTILE_RECORDS.items():
            assert len(content) > 24_000_000, name
            answered = post(content)
            if name == "newlines":
                assert answered.status_code == 422 and answered.json()["code"] == "too_many_lines"
            elif name == "good lines":
                assert answered.status_code == 201, answered.text[:300]
                counted = answered.json()
                with_a_line = sum(counted["counts"].values()) - counted["counts"]["only_in_ledger"]
                assert with_a_line == MAX_LINES - 1  # every line in the answer, once
                assert counted["lines_in_file"] == MAX_LINES and counted["problem_count"] == 0
            else:
                assert answered.status_code == 201, (name, answered.text[:300])
                assert answered.json()["lines_in_file"] == MAX_LINES, name
                assert len(answered.content) < 1024 * 1024, name
            assert server_peak_mb(process.pid) < idle + 300, name
    finally:
        server.stop(process)


# --- 4. a replacement is confirmed inside the booking's transaction -----------------------------


def _portal(client: TestClient, world, nummer: str = "RD-2024-001", year: int = 2025) -> str:
    """Sign a region's clerk in to the portal; the CSRF token of the year's page."""
    assert (
        _sign_in(client, add_user(world.engine, "clerk", "region", "GM-ZWOLLE")).status_code == 303
    )
    shown = client.get(f"/dashboard/beschikkingen/{nummer}/{year}")
    return re.search(r'name="csrf" value="([^"]+)"', shown.text).group(1)


def _statement(amount: float) -> bytes:
    return openpyxl_workbook(
        [["RD-2024-001", date(2025, 3, 1), "Factuur", "Rijk", amount, None, "A", "F1"]]
    )


def _hand_in(client: TestClient, csrf: str, content: bytes, replace: str | None = None):
    data = {"csrf": csrf} | ({"replace": replace} if replace else {})
    return client.post(
        "/dashboard/beschikkingen/RD-2024-001/2025/statement",
        data=data,
        files={"file": ("opgave.xlsx", content, XLSX)},
        headers=HERE,
    )


def _booked(world) -> list[tuple[str, str]]:
    with UnitOfWork(world.engine) as uow:
        return [
            (s.id, s.status) for s in statements(uow.connection, "RD-2024-001") if s.year == 2025
        ]


def test_a_statement_booked_after_the_check_is_not_replaced_unconfirmed(world, client, monkeypatch):
    """The interleaving of the race, made to happen: another upload books its statement after
    this one's page check saw none, before this one books; this one is 409 and books nothing."""
    csrf = _portal(client, world)
    shown_before = portal.year_context

    other = _statement(1000.0)
    booked_once = []

    def then_another_books(*args):  # noqa: ANN002, ANN202
        context = shown_before(*args)
        if not booked_once:  # the page is read again to show the refusal: that is no new upload
            booked_once.append(True)
            import_statement(
                world.engine, "RD-2024-001", 2025, other, filename="a.xlsx", uploader="x"
            )
        return context

    monkeypatch.setattr(portal, "year_context", then_another_books)
    raced = _hand_in(client, csrf, _statement(2000.0))
    monkeypatch.setattr(portal, "year_context", shown_before)
    assert raced.status_code == 409 and 'role="alert"' in raced.text
    [(first, status)] = _booked(world)
    assert status == "booked"
    confirmed = _hand_in(client, csrf, _statement(2000.0), replace=first)
    assert confirmed.status_code == 201, confirmed.text[:500]
    assert [s for _, s in _booked(world)] == ["replaced", "booked"]
    stale = _hand_in(client, csrf, _statement(3000.0), replace=first)  # confirms the one gone
    assert stale.status_code == 409 and [s for _, s in _booked(world)] == ["replaced", "booked"]


def test_two_different_workbooks_at_once_book_one_and_refuse_the_other(world, database_url):
    """Over a real server, each round two unconfirmed uploads sent at the same moment: exactly
    one is booked, the other is 409, whichever order the server takes them in."""
    token = add_user(world.engine, "clerk", "region", "GM-ZWOLLE")
    with server.running(database_url) as base:
        for year in (2024, 2025):  # years that have ended, in the spending period
            with httpx.Client(base_url=base) as one, httpx.Client(base_url=base) as two:
                tokens = []
                for browser in (one, two):
                    browser.post(
                        "/dashboard/signin", data={"token": token}, headers={"Origin": base}
                    )
                    page = browser.get(f"/dashboard/beschikkingen/RD-2024-001/{year}")
                    tokens.append(re.search(r'name="csrf" value="([^"]+)"', page.text).group(1))

                def send(browser, csrf, amount, year=year):  # noqa: ANN001, ANN202
                    content = openpyxl_workbook(
                        [["RD-2024-001", date(year, 10, 1), "F", "Rijk", amount, None, "A", "F1"]]
                    )
                    return lambda: browser.post(
                        f"/dashboard/beschikkingen/RD-2024-001/{year}/statement",
                        data={"csrf": csrf},
                        files={"file": ("opgave.xlsx", content, XLSX)},
                        headers={"Origin": base},
                        timeout=120,
                    )

                answers = at_once(send(one, tokens[0], 1000.0), send(two, tokens[1], 2000.0))
            assert sorted(a.status_code for a in answers) == [201, 409], year
            with UnitOfWork(world.engine) as uow:
                booked = [
                    s.status for s in statements(uow.connection, "RD-2024-001") if s.year == year
                ]
            assert booked == ["booked"], year


# --- 9. one csrf field --------------------------------------------------------------------------


def test_a_form_with_two_csrf_fields_is_refused(world, client):
    csrf = _portal(client, world)
    doubled = client.post(
        "/dashboard/beschikkingen/RD-2024-001/2025/toelichting",
        content=f"csrf=wrong&csrf={csrf}&toelichting=x".encode(),
        headers={**HERE, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert doubled.status_code == 400
    with UnitOfWork(world.engine) as uow:
        assert regio_rows.toelichting(uow.connection, "RD-2024-001", 2025) is None


# --- 5. codes that differ only in letter case are one record ------------------------------------


def test_a_beschikking_in_other_letters_is_the_same_beschikking(world):
    regio = RegioService(world.engine)
    before = world.verify().entries_checked
    with pytest.raises(LedgerError) as refused:
        regio.grant(zwolle_beschikking(nummer="rd-2024-001"), key="grant-lower", who=OFFICER)
    assert refused.value.code == "beschikking_exists"
    assert world.verify().entries_checked == before


def test_an_organisation_in_other_letters_is_refused_by_the_database_too(world):
    regio = RegioService(world.engine)
    regio.add_organisation(Organisation("GM0479", "Gemeente Zaanstad", OrganisationType.GEMEENTE))
    with pytest.raises(LedgerError) as refused:
        regio.add_organisation(
            Organisation("gm0479", "Gemeente Zaanstad", OrganisationType.GEMEENTE)
        )
    assert refused.value.code == "organisation_exists"
    assert "letter case" in refused.value.problems[0].message
    with world.engine.connect() as connection, pytest.raises(DBAPIError):  # past the domain
        connection.execute(
            text("INSERT INTO organisation (code, name, type) VALUES ('gM0479', 'x', 'gemeente')")
        )


def test_a_user_name_in_other_letters_is_the_same_user(world):
    add_user(world.engine, "Clerk", "auditor")
    with pytest.raises(LedgerError) as refused:
        add_user(world.engine, "clerk", "auditor")
    assert refused.value.code == "user_exists"


def test_a_ministry_file_with_a_lower_cased_nummer_matches_the_beschikking(world):
    content = MINISTRY.format(omschrijving="eerste voorschot").replace("RD-2024-001", "rd-2024-001")
    with UnitOfWork(world.engine, write=True) as uow:
        kept = reconcile_record(
            uow.connection, read_record(content.encode()), b"", "kas.csv", "fo", Scope()
        )
        uow.commit()
    counts = kept.answer["counts"]
    assert (counts["matched"], counts["only_in_file"]) == (2, 1)  # only the €2.5M payment
    assert [b["nummer"] for b in kept.answer["beschikkingen"]] == ["RD-2024-001"]


# --- 6. integers at the door are plain digits ----------------------------------------------------


@pytest.mark.parametrize("spelled", ["2025.0", "+2025", "02025", " 2025", "2025 ", "２０２５"])
def test_a_year_in_another_spelling_is_refused_in_paths_and_queries(world, client, spelled):
    token = add_user(world.engine, "fo", "finance")
    bearer = {"Authorization": f"Bearer {token}"}
    for path in (f"/api/v1/sisa/{spelled}/status", f"/api/v1/sisa/{spelled}/movements"):
        refused = client.get(path, headers=bearer)
        assert refused.status_code == 422, (path, refused.status_code)
        assert "plain digits" in refused.text or "integer" in refused.text
    listed = client.get(
        "/api/v1/beschikkingen/RD-2024-001/statements", params={"year": spelled}, headers=bearer
    )
    assert listed.status_code == 422


@pytest.mark.parametrize("spelled", ["1.0", "+1", "01", "1e2", "-0"])
def test_a_page_limit_in_another_spelling_is_refused(world, client, spelled):
    token = add_user(world.engine, "fo", "finance")
    refused = client.get(
        "/api/v1/deals", params={"limit": spelled}, headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status_code == 422, spelled
    assert (
        client.get(
            "/api/v1/deals", params={"limit": "1"}, headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("spelled", ["02025", "+2025", "2025.0"])
def test_the_command_line_takes_a_year_in_plain_digits_only(world, database_url, spelled):
    from api.cli.main import app

    ran = CliRunner().invoke(
        app, ["sisa", "movements", "--year", spelled, "--database", database_url]
    )
    assert ran.exit_code == 2 and "--year" in ran.output


# --- 9. the hosts the service answers as, and nosniff on every download -----------------------


def test_a_request_to_another_host_is_refused_before_the_origin_check(world, client):
    """DNS rebinding: a page of evil.example, resolved to this service, sends Host: evil.example
    and Origin: http://evil.example, which agree with each other; the host is not allowed."""
    token = add_user(world.engine, "fo", "finance")
    rebound = client.post(
        "/dashboard/signin",
        data={"token": token},
        headers={"Host": "evil.example", "Origin": "http://evil.example"},
        follow_redirects=False,
    )
    assert rebound.status_code == 400 and rebound.json()["code"] == "host_not_allowed"
    assert "regioledger_session" not in rebound.cookies
    api = client.get(
        "/api/v1/deals", headers={"Host": "evil.example", "Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 400


def test_the_allowed_hosts_are_the_served_host_by_default(monkeypatch):
    monkeypatch.delenv("REGIOLEDGER_ALLOWED_HOSTS")
    assert allowed_hosts() == {"127.0.0.1", "localhost"}
    assert hosts_for("127.0.0.1") == "127.0.0.1,localhost"
    assert hosts_for("ledger.example.nl") == "ledger.example.nl"
    assert hosts_for("0.0.0.0") == ""  # serve refuses to guess (allowed_hosts_missing)


def test_every_download_says_nosniff(world, client):
    token = add_user(world.engine, "fo", "finance")
    bearer = {"Authorization": f"Bearer {token}"}
    downloads = [
        "/api/v1/beschikkingen/RD-2024-001/statements/template?year=2025",
        "/api/v1/sisa/2025?format=csv",
        "/openapi.json",
    ]
    for path in downloads:
        answer = client.get(path, headers=bearer)
        assert answer.status_code == 200, (path, answer.text[:200])
        assert answer.headers["x-content-type-options"] == "nosniff", path


# --- 8. the schema says what an upload must be ---------------------------------------------------


@pytest.mark.parametrize(
    ("path", "media_types"),
    [
        ("/api/v1/beschikkingen/{nummer}/statements", [XLSX]),
        ("/api/v1/reconciliations", [CSV, XLSX]),
    ],
)
def test_the_schema_names_each_uploads_media_types(client, path, media_types):
    body = client.get("/openapi.json").json()["paths"][path]["post"]["requestBody"]
    form = body["content"]["multipart/form-data"]
    field = form["schema"]["properties"]["file"]
    assert (field["type"], field["format"], field["contentMediaType"]) == (
        "string",
        "binary",
        media_types[0],
    )
    assert form["encoding"]["file"]["contentType"] == ", ".join(media_types)


def test_the_conversion_rule_wants_something_left_to_convert():
    """The rule alone, without a database."""
    from ledger.money import Money
    from ledger.regio.rules import check_something_to_convert

    assert check_something_to_convert("D-1", Money.from_minor_units(1, "EUR")) == []
    [refused] = check_something_to_convert("D-1", Money.from_minor_units(0, "EUR"))
    assert refused.code == "nothing_to_convert" and "D-1" in refused.message


def test_the_schema_still_states_the_bounds_of_every_whole_number(client):
    """The plain-digits rule rides beside the bounds, never instead of them in the schema: a
    schema that lost ``minimum`` would call year 0 valid, and the fuzzer would be right."""
    schema = client.get("/openapi.json").json()
    found = 0
    for operations in schema["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                for kind in parameter["schema"].get("anyOf", [parameter["schema"]]):
                    if kind.get("type") == "integer":
                        found += 1
                        assert "minimum" in kind and "maximum" in kind, parameter
                        assert "ge" not in kind and "le" not in kind, parameter
    assert found > 20
