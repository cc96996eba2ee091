"""The read API over real HTTP, on the demo ledger, on SQLite and PostgreSQL: a finance
officer's reconciliation of tranche 5 through the API only (list, drill down, as of the end of
2024, match the ministry's file, download the workbook); a region's reads of its own and
nothing else; an auditor's reads of statements, submissions, the audit trail and the kept
reconciliations; reads as the books stood at a moment."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from io import BytesIO

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from api.demo import load_demo
from api.http.users import add_user
from ledger.clock import today
from ledger.db.service import LedgerService
from ledger.regio.db.service import RegioService
from ledger.regio.model import Who
from tests import server

END_OF_2024 = "2024-12-31"
OWN, OTHER = "GM0503", "GM0758"  # Gemeente Delft, Gemeente Breda
OWN_B, OTHER_B = "RD-T5-DELFT-WEST-1", "RD-T5-WEST-BRABANT-1"


@pytest.fixture
def demo(ledger: LedgerService, database_url: str):
    load_demo(RegioService(ledger.engine))
    tokens = {
        "finance": add_user(ledger.engine, "fo", "finance"),
        "auditor": add_user(ledger.engine, "acc", "auditor"),
        "region": add_user(ledger.engine, "delft", "region", OWN),
        "other": add_user(ledger.engine, "breda", "region", OTHER),
    }
    with server.running(database_url) as base:
        clients = {
            role: httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
            )
            for role, token in tokens.items()
        }
        yield clients
        for client in clients.values():
            client.close()


def every(client: httpx.Client, path: str, **params: object) -> list[dict]:
    """Every item of a list, following ``next`` (and checking the Link header says the same)."""
    items: list[dict] = []
    response = client.get(path, params={**params, "limit": 3})
    while True:
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        if page["next"] is None:
            assert "link" not in response.headers
            return items
        assert response.headers["link"] == f'<{page["next"]}>; rel="next"'
        response = client.get(page["next"])


def ministry_file(lines: list[list[object]]) -> bytes:
    """The ministry's record as a real workbook, with a title row above the header."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Kasadministratie Regio Deals, export"])
    sheet.append(
        ["Beschikkingsnummer", "Soort", "Datum", "Bedrag (EUR)", "Kenmerk", "Omschrijving"]
    )
    for line in lines:
        sheet.append(line)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_finance_officer_reconciles_tranche_5_through_the_api(demo):
    fo = demo["finance"]
    # list: tranche 5 as of the end of 2024, its deals and its beschikkingen
    t5 = fo.get("/api/v1/tranches/T5", params={"as_of": END_OF_2024}).json()
    assert t5["envelope"] == "RE-2022" and t5["shifted_in"] == "84000000.00"
    assert [r["code"] for r in t5["reservations"]] == ["T5-GRONINGEN"]
    reservation = t5["reservations"][0]
    assert Decimal(reservation["used"]) + Decimal(reservation["free"]) == Decimal(
        reservation["reserved"]
    )
    assert [t["code"] for t in every(fo, "/api/v1/tranches", envelope="RE-2022")] == [
        "T4",
        "T5",
        "T6",
    ]
    deals = every(fo, "/api/v1/deals", tranche="T5", as_of=END_OF_2024)
    assert sorted(d["code"] for d in deals) == t5["deals"]
    grants = every(fo, "/api/v1/beschikkingen", tranche="T5", as_of=END_OF_2024)
    assert grants and all(b["tranche"] == "T5" for b in grants)
    assert {b["deal"] for b in grants} <= set(t5["deals"])
    assert all(b["decided_on"] <= END_OF_2024 for b in grants)

    # drill down: one beschikking, its payments as of the date, the entries behind them
    zwolle = fo.get(f"/api/v1/beschikkingen/{OWN_B}", params={"as_of": END_OF_2024}).json()
    assert [p["effective_on"] for p in zwolle["payments"]] == ["2024-04-01"]
    entries = every(fo, "/api/v1/journal/entries", beschikking=OWN_B, effective_to=END_OF_2024)
    assert zwolle["payments"][0]["entry"] in {e["sequence"] for e in entries}
    assert all(e["effective_on"] <= END_OF_2024 for e in entries)
    last_entry = every(fo, "/api/v1/journal/entries")[-1]["sequence"]

    # the ministry's file: every commitment and payment of tranche 5 up to 2024, with its own
    # mistakes: a cent off, a payment booked three weeks late, one three days late (still
    # within the window), one it lacks, one the ledger lacks, and a line nobody can read
    lines: list[list[object]] = []
    for b in (b for b in grants if b["currency"] == "EUR"):
        lines.append(
            [
                b["nummer"],
                "verplichting",
                date.fromisoformat(b["decided_on"]),
                Decimal(b["decided_amount"]),
                f"V-{b['nummer']}",
                "Verplichting",
            ]
        )
        detail = fo.get(
            f"/api/v1/beschikkingen/{b['nummer']}", params={"as_of": END_OF_2024}
        ).json()
        for p in detail["payments"]:
            lines.append(
                [
                    b["nummer"],
                    "betaling",
                    date.fromisoformat(p["effective_on"]),
                    Decimal(p["amount"]),
                    None,
                    "Voorschot",
                ]
            )
    payments = [i for i, line in enumerate(lines) if line[1] == "betaling"]
    assert len(payments) >= 4
    cent_off, late, bit_late, missing = payments[:4]
    lines[cent_off][3] += Decimal("0.01")
    lines[late][2] = date.fromordinal(lines[late][2].toordinal() + 21)
    lines[bit_late][2] = date.fromordinal(lines[bit_late][2].toordinal() + 3)
    lacking = lines.pop(missing)
    lines.append(
        [
            OWN_B,
            "betaling",
            date(2024, 11, 1),
            Decimal("12345.67"),
            "KAS-99",
            "Niet in het grootboek",
        ]
    )
    lines.append([OWN_B, "betaling", "31-02-2024", "10,00", None, "Onleesbaar"])
    content = ministry_file(lines)

    made = fo.post(
        "/api/v1/reconciliations",
        params={"tranche": "T5", "as_of": END_OF_2024},
        files={"file": ("kas-2024.xlsx", content, "application/octet-stream")},
        headers={"Idempotency-Key": "t5-2024"},
    )
    assert made.status_code == 201, made.text
    answer = made.json()
    usd = sum(1 for b in grants if b["currency"] == "USD")
    read = len(lines) - 1  # the unreadable line is reported, not matched
    assert answer["counts"] == {
        "matched": read - 3,  # all but the cent, the late payment and the extra line
        "amount_differs": 1,
        "date_differs": 1,
        "only_in_file": 1,
        "only_in_ledger": 1 + 2 * usd,  # the payment the file lacks; the dollar grants' lines
    }
    assert [(p["line"], p["column"], p["code"]) for p in answer["problems"]] == [
        (len(lines) + 2, "Datum", "invalid_date")
    ]
    pairs = [(b["nummer"], p) for b in answer["beschikkingen"] for p in b["pairs"]]
    [(_, off)] = [(n, p) for n, p in pairs if p["outcome"] == "amount_differs"]
    assert off["difference"] == "0.01" and off["ledger"]["entries"]
    for entry in off["ledger"]["entries"]:
        assert fo.get(f"/api/v1/journal/entries/{entry}").status_code == 200
    [(_, gone)] = [
        (n, p)
        for n, p in pairs
        if p["outcome"] == "only_in_ledger"
        and p["ledger"]["date"] == lacking[2].isoformat()
        and p["ledger"]["amount"] == str(lacking[3])
    ]
    assert gone["file"] is None
    [extra] = [p for _, p in pairs if p["outcome"] == "only_in_file"]
    assert extra["file"]["kenmerk"] == "KAS-99"
    [t5_eur] = [t for t in answer["tranches"] if (t["tranche"], t["currency"]) == ("T5", "EUR")]
    file_total = sum(Decimal(str(line[3])) for line in lines[:-1] if line[1] == "betaling")
    assert Decimal(t5_eur["file"]["betaling"]) == file_total

    # the same file again answers the same; the same key answers the first time's answer
    again = fo.post(
        "/api/v1/reconciliations",
        params={"tranche": "T5", "as_of": END_OF_2024},
        files={"file": ("kas-2024.xlsx", content, "application/octet-stream")},
    ).json()
    same = {k: v for k, v in again.items() if k not in ("id", "made_at", "workbook", "file")}
    assert same == {
        k: v for k, v in answer.items() if k not in ("id", "made_at", "workbook", "file")
    }
    assert again["id"] != answer["id"]
    replay = fo.post(
        "/api/v1/reconciliations",
        params={"tranche": "T5", "as_of": END_OF_2024},
        files={"file": ("kas-2024.xlsx", content, "application/octet-stream")},
        headers={"Idempotency-Key": "t5-2024"},
    )
    assert replay.json()["id"] == answer["id"]

    # download the workbook: every pair on the lines sheet, the counts on the overview
    workbook = fo.get(answer["workbook"])
    assert workbook.status_code == 200
    book = load_workbook(BytesIO(workbook.content))
    assert book.sheetnames == ["Overzicht", "Per beschikking", "Regels", "Onleesbare regels"]
    assert book["Regels"].max_row == 1 + len(pairs)
    overview = {row[0]: row[1] for row in book["Overzicht"].iter_rows(values_only=True) if row[0]}
    assert overview["bedrag wijkt af"] == 1 and overview["alleen in het bestand"] == 1
    assert fo.get(answer["file"]).content == content

    # nothing was booked
    assert every(fo, "/api/v1/journal/entries")[-1]["sequence"] == last_entry
    assert fo.get("/api/v1/journal/verify").json()["ok"] is True


def test_a_region_reads_its_own_and_nothing_else(demo):
    region = demo["region"]
    assert [b["nummer"] for b in every(region, "/api/v1/beschikkingen")] == [OWN_B]
    assert every(region, "/api/v1/beschikkingen", recipient=OTHER) == []
    for path in (
        f"/api/v1/beschikkingen/{OTHER_B}",
        f"/api/v1/beschikkingen/{OTHER_B}/payments",
        f"/api/v1/beschikkingen/{OTHER_B}/statements",
        "/api/v1/deals/T5-WEST-BRABANT",
        "/api/v1/reports/deals/T5-WEST-BRABANT",
        f"/api/v1/organisations/{OTHER}",
        f"/api/v1/sisa/2025/status?recipient={OTHER}",
    ):
        assert region.get(path).status_code == 404, path
    for path in ("/api/v1/tranches", "/api/v1/envelopes", "/api/v1/reconciliations"):
        assert region.get(path).status_code == 403, path

    mine = region.get(f"/api/v1/beschikkingen/{OWN_B}").json()
    assert mine["recipient"] == OWN and len(mine["payments"]) == 2
    assert [p["id"] for p in every(region, f"/api/v1/beschikkingen/{OWN_B}/payments")] == [
        p["id"] for p in mine["payments"]
    ]
    [statement] = every(region, f"/api/v1/beschikkingen/{OWN_B}/statements")
    assert (statement["year"], statement["status"]) == (2025, "booked")
    original = region.get(statement["file"])
    assert hashlib.sha256(original.content).hexdigest() == statement["sha256"]
    assert [d["code"] for d in every(region, "/api/v1/deals")] == ["T5-DELFT-WEST"]
    voortgang = region.get("/api/v1/reports/deals/T5-DELFT-WEST").json()
    assert voortgang["paid"] == mine["paid"]
    [status] = every(region, "/api/v1/sisa/2025/status")
    assert (status["beschikking"], status["status"]) == (OWN_B, "reported")
    # its only beschikking: the status's realised money says what the deal report says
    assert status["realised_shortfall"] is voortgang["realised_shortfall"]
    assert status["realised_ratio"] is not None and status["pledged_ratio"] is not None
    rows = region.get("/api/v1/sisa/2025", params={"recipient": OWN})
    assert rows.status_code == 200
    assert [o["code"] for o in every(region, "/api/v1/organisations")] == [OWN]
    behind = region.get("/api/v1/reports/underspending").json()
    assert {u["recipient"] for u in behind} <= {OWN}
    everyone = demo["finance"].get("/api/v1/reports/underspending").json()
    assert len({u["recipient"] for u in everyone}) > 1


def test_an_auditor_reads_statements_submissions_the_trail_and_reconciliations(demo):
    auditor, region, fo = demo["auditor"], demo["region"], demo["finance"]
    before_submitting = every(auditor, "/api/v1/journal/entries")[-1]["recorded_at"]
    submitted = region.post("/api/v1/sisa/2025/submissions", headers={"Idempotency-Key": "s-2025"})
    assert submitted.status_code == 201, submitted.text
    [listed] = every(auditor, "/api/v1/sisa/2025/submissions", recipient=OWN)
    download = auditor.get(listed["file"])
    assert hashlib.sha256(download.content).hexdigest() == listed["sha256"]
    [status] = every(auditor, "/api/v1/sisa/2025/status", recipient=OWN)
    assert status["submission"] == listed["id"]
    everyone = every(auditor, "/api/v1/sisa/2025/status")
    assert len({s["recipient"] for s in everyone}) > 1
    # Pages of three (each made from the kept status, cut before its rows are made) add up to
    # the one page of all, in order, each row once; the submission shows on the region's rows.
    whole = auditor.get("/api/v1/sisa/2025/status", params={"limit": 500}).json()
    assert whole["next"] is None and whole["items"] == everyone
    assert [s["beschikking"] for s in everyone] == sorted({s["beschikking"] for s in everyone})
    assert {s["submission"] for s in everyone if s["recipient"] == OWN} == {listed["id"]}

    statements = [
        s
        for b in every(auditor, "/api/v1/beschikkingen")
        for s in every(auditor, f"/api/v1/beschikkingen/{b['nummer']}/statements")
    ]
    assert statements and all(s["status"] == "booked" for s in statements)

    # the audit trail pages every kind: all uploads and the submission, over several pages
    uploads, submissions, response = [], [], auditor.get("/api/v1/audit/trail", params={"limit": 5})
    while True:
        page = response.json()
        uploads += page["statement_uploads"]
        submissions += page["sisa_submissions"]
        assert all(len(page[k]) <= 5 for k in ("bookings", "statement_uploads"))
        if page["next"] is None:
            break
        response = auditor.get(page["next"])
    assert sorted(u["sha256"] for u in uploads) == sorted(s["sha256"] for s in statements)
    assert [s["id"] for s in submissions] == [listed["id"]]
    then = auditor.get("/api/v1/audit/trail", params={"recorded_as_of": before_submitting})
    assert then.json()["sisa_submissions"] == []

    record = ministry_file(
        [[OWN_B, "betaling", date(2024, 4, 1), Decimal("4920000.00"), None, None]]
    )
    assert (
        auditor.post(
            "/api/v1/reconciliations",
            files={"file": ("kas.xlsx", record, "application/octet-stream")},
        ).status_code
        == 403
    )
    made = fo.post(
        "/api/v1/reconciliations", files={"file": ("kas.xlsx", record, "application/octet-stream")}
    ).json()
    assert made["counts"]["matched"] == 1
    [kept] = every(auditor, "/api/v1/reconciliations")
    assert kept["id"] == made["id"] and kept["made_by"] == "fo"
    assert auditor.get(f"/api/v1/reconciliations/{made['id']}").json() == made
    assert auditor.get(made["workbook"], params={"lang": "en"}).status_code == 200


def test_reads_as_the_books_stood_leave_out_what_was_recorded_later(demo):
    fo = demo["finance"]
    moment = every(fo, "/api/v1/journal/entries")[-1]["recorded_at"]
    before = fo.get("/api/v1/tranches/T5").json()
    moved_before = {m["beschikking"]: m for m in every(fo, "/api/v1/sisa/2025/movements")}
    paid = fo.post(
        f"/api/v1/beschikkingen/{OWN_B}/payments",
        json={"amount": "1000.00", "paid_on": "2025-06-01", "reason": "derde voorschot"},
    )
    assert paid.status_code == 201, paid.text
    now = fo.get(f"/api/v1/beschikkingen/{OWN_B}/payments").json()["items"]
    then = fo.get(
        f"/api/v1/beschikkingen/{OWN_B}/payments", params={"recorded_as_of": moment}
    ).json()["items"]
    assert len(now) == len(then) + 1 and now[:-1] == then
    assert Decimal(fo.get("/api/v1/tranches/T5").json()["paid"]) == Decimal(before["paid"]) + 1000
    assert fo.get("/api/v1/tranches/T5", params={"recorded_as_of": moment}).json() == before
    stood = fo.get(f"/api/v1/beschikkingen/{OWN_B}", params={"recorded_as_of": moment}).json()
    stands = fo.get(f"/api/v1/beschikkingen/{OWN_B}").json()
    assert Decimal(stands["paid"]) - Decimal(stood["paid"]) == 1000
    assert len(stands["payments"]) == len(stood["payments"]) + 1
    report = fo.get("/api/v1/reports/tranches", params={"recorded_as_of": moment}).json()
    assert report["as_of"] == today().isoformat()  # the one clock's today, not the machine's
    entries = every(fo, "/api/v1/journal/entries", recorded_as_of=moment)
    assert entries[-1]["recorded_at"] == moment and paid.json()["entry"] not in {
        e["sequence"] for e in entries
    }
    moved_now = {m["beschikking"]: m for m in every(fo, "/api/v1/sisa/2025/movements")}
    moved_then = {
        m["beschikking"]: m for m in every(fo, "/api/v1/sisa/2025/movements", recorded_as_of=moment)
    }
    assert Decimal(moved_now[OWN_B]["received"]) - Decimal(moved_then[OWN_B]["received"]) == 1000
    assert moved_then == moved_before  # the schedule kept before the payment, and as it stood
    figure = f"/api/v1/sisa/2025/beschikkingen/{OWN_B}/indicators/02"
    spent = fo.post(
        f"/api/v1/beschikkingen/{OWN_B}/spending",
        json={
            "reason": "factuur na de opgave",
            "year": 2025,
            "source": "rijk",
            "amount": "100.00",
            "effective_on": "2025-11-30",
        },
    )
    assert spent.status_code == 201, spent.text
    figure_now = fo.get(figure).json()
    figure_then = fo.get(figure, params={"recorded_as_of": moment}).json()
    assert figure_now["cents"] - figure_then["cents"] == 10_000
    assert len(figure_now["bookings"]) == len(figure_then["bookings"]) + 1
    assert figure_now["statement_lines"] == figure_then["statement_lines"]
    block = {"regeling": "RD-BZK"}  # 2025 has rows under both regelingen: one block each
    preview = fo.get("/api/v1/sisa/2025", params={"recorded_as_of": moment, **block})
    assert preview.status_code == 200
    [own_then] = [r for r in preview.json()["rows"] if OWN_B in r.values()]
    [own_now] = [
        r for r in fo.get("/api/v1/sisa/2025", params=block).json()["rows"] if OWN_B in r.values()
    ]
    assert own_now != own_then  # the officer's 100 euros count now, not as the books stood
    early = fo.get("/api/v1/beschikkingen", params={"recorded_as_of": "2000-01-01T00:00:00+01:00"})
    assert early.json() == {"items": [], "next": None, "next_after": None}
    naive = fo.get("/api/v1/tranches", params={"recorded_as_of": "2025-01-01T00:00:00"})
    assert naive.status_code == 422 and "time zone" in naive.text


def test_a_misspelt_filter_is_refused_not_ignored(demo):
    response = demo["finance"].get("/api/v1/journal/entries", params={"beschikkng": OWN_B})
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "unknown_parameter" and "beschikkng" in problem["title"]
    assert "beschikking" in problem["title"]  # it names what the route does take


def test_a_filtered_list_says_of_each_beschikking_what_the_whole_list_says(demo, ledger):
    """A filtered list reads only its own beschikkingen' events (extensions, eindverantwoording),
    however large the ledger: each of its items is the whole list's item, end and status too,
    and an event of a beschikking outside the filter changes nothing in it. The whole list,
    kept between writes, shows them at once."""
    regio, who = RegioService(ledger.engine), Who("fo", "test: events on both sides of a filter")
    before = {item["nummer"]: item for item in every(demo["finance"], "/api/v1/beschikkingen")}
    for nummer in (OWN_B, OTHER_B):  # their deals run to the end of 2030
        regio.extend(nummer, date(2029, 6, 30), on=date(2025, 3, 2), key=f"e{nummer}", who=who)
    regio.mark_final(OTHER_B, 2025, key="final", who=who, toelichting="Afgerond.")
    whole = every(demo["finance"], "/api/v1/beschikkingen")
    by_nummer = {item["nummer"]: item for item in whole}
    assert by_nummer[OWN_B]["status"] != by_nummer[OTHER_B]["status"]
    # The whole list, kept per state of the books, follows the writes.
    assert by_nummer[OTHER_B]["status"] != before[OTHER_B]["status"]
    assert by_nummer.keys() == before.keys() and by_nummer != before
    for name, wanted in (("recipient", OWN), ("recipient", OTHER), ("deal", "T5-DELFT-WEST")):
        listed = every(demo["finance"], "/api/v1/beschikkingen", **{name: wanted})
        assert listed and listed == [item for item in whole if item[name] == wanted]
    one = demo["finance"].get(f"/api/v1/beschikkingen/{OTHER_B}").json()
    assert {k: one[k] for k in by_nummer[OTHER_B]} == by_nummer[OTHER_B]
